package io.switchboard.gateway;

import io.switchboard.protocol.DisconnectCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Closes one event loop's connections with 3001 (the SDKs reconnect, to another node, and recover) in small
 * batches spread over the drain window with jitter, so that the clients of a stopping node do not
 * stampede one peer in the same instant.
 */
final class Drain {
  static final long STEP_MS = 100;

  private Drain() {}

  /** Runs on the loop's own context. Completes when every close frame is written, or shortly after the window. */
  static Future<Void> run(Vertx vertx, List<Session> sessions, Duration window) {
    List<Session> order = new ArrayList<>(sessions);
    Collections.shuffle(order);
    long steps = Math.max(1, window.toMillis() / STEP_MS);
    int perStep = (int) Math.ceil(order.size() / (double) steps);
    List<Future<Void>> closed = new ArrayList<>();
    for (int i = 0, step = 0; i < order.size(); i += perStep, step++) {
      List<Session> batch = order.subList(i, Math.min(order.size(), i + perStep));
      Promise<Void> done = Promise.promise();
      closed.add(done.future());
      long at = step * STEP_MS + ThreadLocalRandom.current().nextLong(STEP_MS);
      Runnable close = () -> {
        List<Future<Void>> frames = new ArrayList<>();
        batch.forEach(s -> frames.add(s.disconnect(DisconnectCode.SHUTDOWN)));
        Future.join(frames).onComplete(ar -> done.tryComplete());
      };
      if (at == 0) {
        close.run();
      } else {
        vertx.setTimer(at, id -> close.run());
      }
    }
    Promise<Void> all = Promise.promise();
    Future.join(closed).onComplete(ar -> all.tryComplete());
    vertx.setTimer(window.toMillis() + 2000, id -> all.tryComplete()); // a stuck peer must not hold the exit
    return all.future();
  }
}
