package io.switchboard.ops;

import io.vertx.core.Vertx;

/**
 * Measures how late an event loop runs its timers: a timer every {@link #PERIOD_MS} on the caller's loop
 * records how far past its due time it fired ({@code switchboard_event_loop_lag}). Started by the HTTP
 * listener, the one verticle that every event loop has.
 */
public final class EventLoopLagProbe {
  static final long PERIOD_MS = 200;

  private EventLoopLagProbe() {}

  /** Starts the probe on the current event loop (call from a verticle's start); it stops with the verticle. */
  public static void start(Vertx vertx, Metrics metrics) {
    long[] expected = {System.nanoTime() + PERIOD_MS * 1_000_000};
    vertx.setPeriodic(PERIOD_MS, id -> {
      long now = System.nanoTime();
      metrics.eventLoopLag(Math.max(0, now - expected[0]));
      expected[0] = now + PERIOD_MS * 1_000_000;
    });
  }
}
