package io.switchboard.sim;

import io.vertx.core.Future;

/** An API-side publisher running on the coordinator's event loop. */
public interface Publisher {
  void start();

  /** Stops issuing; completes when every call in flight has answered (or after {@code timeoutMs}). */
  Future<Void> stop(long timeoutMs);

  PubStats stats();
}
