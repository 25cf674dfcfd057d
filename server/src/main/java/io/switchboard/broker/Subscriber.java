package io.switchboard.broker;

import io.switchboard.codec.ClientCodec;

/**
 * A connection as the broker sees it, owned by one event loop. The broker never encodes for it: it asks which
 * codec the connection speaks and hands it the frame that codec made, encoded once and shared by every
 * subscriber speaking it.
 */
public interface Subscriber {

  String clientId();

  String user();

  /** The codec this connection speaks (fixed for its life). */
  ClientCodec codec();

  /**
   * Queues a push frame encoded by {@link #codec()}, shared with other subscribers and never modified; frames
   * are coalesced and flushed once per event-loop turn.
   */
  void deliver(byte[] frame);

  /** Server-initiated unsubscribe of one channel (the session drops its state and pushes {@code unsubscribe}). */
  void serverUnsubscribe(String channel, int code, String reason);
}
