package io.switchboard.core;

import io.switchboard.broker.RecoveryRequest;
import io.switchboard.broker.Subscriber;
import io.switchboard.config.NamespaceOptions;
import io.vertx.core.Future;

/**
 * A client connection as server-initiated actions see it, whatever its protocol or transport. Every method
 * runs on the connection's own event loop.
 */
public interface Connection extends Subscriber {

  /** Past the connect handshake and not closed: only such connections are acted on. */
  boolean isConnected();

  /** Whether the connection has a subscription to the channel (live or still being made). */
  boolean hasSubscription(String channel);

  /**
   * Subscribes the connection on the server's initiative; it is told with a {@code subscribe} push that
   * precedes every publication of the channel. Completes once done (or found unnecessary).
   */
  Future<?> serverSubscribe(String channel, NamespaceOptions ns, RecoveryRequest req);

  /** Closes with a close code and reason the caller checked. */
  io.vertx.core.Future<Void> close(int code, String reason);

  /** The connection's credentials ran out: closed at once, the client reconnects with a fresh token. */
  void expireNow();

  /** When the connection expires (epoch seconds; 0 = never). */
  void expireAt(long epochSeconds);

  /** An asynchronous message push (no channel), e.g. the read-position sync between a user's devices. */
  void message(Object data);
}
