package io.switchboard.sim;

import io.vertx.core.Vertx;
import java.util.function.LongConsumer;

/** Calls {@code onDue(n)} with the number of events due so far at {@code rate} per second, every few ms. */
public final class Pacer {
  private final Vertx vertx;
  private final double rate;
  private final LongConsumer onDue;
  private long timer = -1;
  private long issued;
  private long startNanos;

  public Pacer(Vertx vertx, double rate, LongConsumer onDue) {
    this.vertx = vertx;
    this.rate = rate;
    this.onDue = onDue;
  }

  /** Events due after {@code elapsedNanos} at {@code rate}, of which {@code issued} were issued already. */
  static long due(double rate, long elapsedNanos, long issued) {
    return Math.max(0, (long) Math.floor(rate * elapsedNanos / 1e9) - issued);
  }

  public void start() {
    vertx.runOnContext(v -> {
      startNanos = System.nanoTime();
      timer = vertx.setPeriodic(5, id -> {
        long n = due(rate, System.nanoTime() - startNanos, issued);
        if (n > 0) {
          issued += n;
          onDue.accept(n);
        }
      });
    });
  }

  public void stop() {
    vertx.runOnContext(v -> {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    });
  }
}
