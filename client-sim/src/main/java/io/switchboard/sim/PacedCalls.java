package io.switchboard.sim;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.IntFunction;

/**
 * The pacing that the API publishers share: events fall due at a fixed rate ({@link Pacer}), and what is due goes
 * out in calls of at most {@code maxBatch} events with at most {@code maxInFlight} calls unanswered (one: calls
 * never overlap, so they reach the server in order). Each publisher sends a call its own way; stopping waits for
 * the calls in flight.
 */
final class PacedCalls {
  private final Vertx vertx;
  private final Pacer pacer;
  private final int maxBatch;
  private final int maxInFlight;
  /** Sends one call of {@code n} events; its future completes once the publisher has counted the answer. */
  private final IntFunction<Future<?>> send;
  private long due;
  private int inFlight;
  private boolean stopped;
  private Promise<Void> idle;

  PacedCalls(Vertx vertx, double rate, int maxBatch, int maxInFlight, IntFunction<Future<?>> send) {
    this.vertx = vertx;
    this.maxBatch = maxBatch;
    this.maxInFlight = Math.max(1, maxInFlight);
    this.send = send;
    this.pacer = new Pacer(vertx, rate, n -> {
      due += n;
      pump();
    });
  }

  void start() {
    pacer.start();
  }

  private void pump() {
    while (!stopped && due > 0 && inFlight < maxInFlight) {
      int n = (int) Math.min(maxBatch, due);
      due -= n;
      inFlight++;
      send.apply(n).onComplete(ar -> {
        inFlight--;
        if (stopped && inFlight == 0 && idle != null) {
          idle.tryComplete();
        }
        pump();
      });
    }
  }

  /** Stops issuing; completes when every call in flight has answered (or after {@code timeoutMs}). */
  Future<Void> stop(long timeoutMs) {
    Promise<Void> p = Promise.promise();
    pacer.stop();
    vertx.runOnContext(v -> {
      stopped = true;
      if (inFlight == 0) {
        p.tryComplete();
      } else {
        idle = p;
        vertx.setTimer(timeoutMs, id -> p.tryComplete());
      }
    });
    return p.future();
  }
}
