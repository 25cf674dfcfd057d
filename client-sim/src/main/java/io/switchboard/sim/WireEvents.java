package io.switchboard.sim;

/**
 * What a {@link ClientWire} reports of the frames it read, the same for every protocol, so that loss, order and
 * latency are accounted identically. Called on the connection's event loop.
 */
interface WireEvents {
  int PUSH_OTHER = 0;
  int PUSH_DISCONNECT = 1;
  int PUSH_UNSUBSCRIBE = 2;

  int CONNECT = 0;
  int SUBSCRIBE = 1;
  int PUBLISH = 2;

  /** A command waiting for its reply. */
  record Pending(int kind, String channel, long micros) {}

  /** Without a protocol (the plain Vert.x baseline): every text frame counts as a publication. */
  boolean raw();

  /** The personal channel whose result the connect reply must carry, or null. */
  String personalChannel();

  void ping();

  /**
   * A publication: {@code seq} is its offset, or without one (ephemeral channels) the payload's sequence number
   * (-1 if none); {@code sentMicros} the payload's send time (-1 if none).
   */
  void publication(String channel, long seq, long sentMicros);

  /** Any other push, {@code kind} one of the PUSH_ constants. */
  void push(int kind);

  /** Takes the command with this id off the pending list; null (counted as an error) if there was none. */
  Pending replyTo(long id);

  /** @param error the error code if refused, else null; @param personal the personal channel's result or null */
  void connected(String error, ClientWire.SubResult personal);

  void subscribed(String channel, String error, ClientWire.SubResult result);

  void published(Pending p, String error);

  /** A frame this protocol cannot read. */
  void unreadable(String what);
}
