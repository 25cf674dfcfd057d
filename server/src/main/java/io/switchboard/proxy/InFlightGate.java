package io.switchboard.proxy;

import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's bound on proxy requests at the backend ({@code proxy_max_in_flight}), with a FIFO of calls waiting
 * for a slot ({@code proxy_max_waiting}). A call past the in-flight bound waits, within its own deadline,
 * instead of failing at once: the command waiting for it holds its connection's command queue, which then stops
 * reading the socket (TCP back-pressure, as a publish waiting for its commit does). Answering 111 at once
 * instead let each connection send its next publish straight into the full bound, so at saturation nearly every
 * publish was refused (docs/benchmarks.md, issue 15). Past the waiting bound, or when the deadline passes
 * before a slot is free, the call fails with {@link Failure#TOO_MANY_REQUESTS} (111, temporary) without a request.
 */
final class InFlightGate {
  private final Vertx vertx;
  private final int maxInFlight;
  private final int maxWaiting;
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Waiters not yet served nor expired (the queue may still hold expired ones until they are polled). */
  private final AtomicInteger waitingCount = new AtomicInteger();
  private final ConcurrentLinkedQueue<Waiter> waiting = new ConcurrentLinkedQueue<>();

  /** A call waiting for a slot; whoever claims it first (a hand-off or its deadline's timer) completes it. */
  private static final class Waiter extends AtomicBoolean {
    final Context context;
    final Promise<Void> slot = Promise.promise();
    long timer;

    Waiter(Context context) {
      this.context = context;
    }

    boolean claim() {
      return compareAndSet(false, true);
    }
  }

  InFlightGate(Vertx vertx, int maxInFlight, int maxWaiting) {
    this.vertx = vertx;
    this.maxInFlight = maxInFlight;
    this.maxWaiting = maxWaiting;
  }

  int inFlight() {
    return inFlight.get();
  }

  int waiting() {
    return waitingCount.get();
  }

  /**
   * Completes, on the caller's context, once a slot is taken (the caller then owes one {@link #release()}); fails
   * with 111 when {@code maxWaiting} calls wait already, or when no slot is free within {@code waitMillis}.
   */
  Future<Void> acquire(long waitMillis) {
    if (waiting.isEmpty() && tryTake()) {
      return Future.succeededFuture();
    }
    if (waitMillis <= 0 || waitingCount.incrementAndGet() > maxWaiting) {
      if (waitMillis > 0) {
        waitingCount.decrementAndGet();
      }
      return Future.failedFuture(new CoreException(Failure.TOO_MANY_REQUESTS));
    }
    Waiter w = new Waiter(vertx.getOrCreateContext());
    w.timer = vertx.setTimer(waitMillis, id -> {
      if (w.claim()) {
        waitingCount.decrementAndGet();
        w.slot.fail(new CoreException(Failure.TOO_MANY_REQUESTS));
      }
    });
    waiting.add(w);
    handOff(); // a slot may have been released between tryTake and add
    return w.slot.future();
  }

  /** Gives a slot back, to the first live waiter if any. */
  void release() {
    inFlight.decrementAndGet();
    handOff();
  }

  private void handOff() {
    while (!waiting.isEmpty() && tryTake()) {
      Waiter w;
      do {
        w = waiting.poll();
      } while (w != null && !w.claim()); // skip the expired
      if (w == null) {
        inFlight.decrementAndGet(); // nobody to give it to; the loop looks again for one added meanwhile
        continue;
      }
      waitingCount.decrementAndGet();
      vertx.cancelTimer(w.timer);
      Waiter served = w;
      served.context.runOnContext(v -> served.slot.complete());
    }
  }

  /** Takes a slot if one is free; never fails spuriously (a CAS loop), so a release always finds its waiter. */
  private boolean tryTake() {
    for (;;) {
      int n = inFlight.get();
      if (n >= maxInFlight) {
        return false;
      }
      if (inFlight.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }
}
