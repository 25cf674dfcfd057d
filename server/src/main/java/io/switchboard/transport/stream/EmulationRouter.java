package io.switchboard.transport.stream;

import io.vertx.core.Future;

/**
 * Where an emulation request's commands go: to the session {@code session} held by the node {@code node}, on
 * this node or another one. Implemented by the front end that owns the sessions.
 */
public interface EmulationRouter {

  /**
   * Hands {@code commands} (encoded in the session's codec) to the session, on its event loop. Completes with
   * whether the node knew the session; fails with {@link java.util.NoSuchElementException} when {@code node} is
   * not in the cluster, with {@link Busy} when the session holds as many unanswered commands as it may (they
   * were not taken), otherwise when the node did not answer in time.
   */
  Future<Boolean> deliver(String node, String session, byte[] commands);

  /** The session does not take more commands now: its reading is paused (answered 429). */
  final class Busy extends RuntimeException {
    public Busy() {
      super("session paused: too many unanswered commands", null, false, false);
    }
  }

}
