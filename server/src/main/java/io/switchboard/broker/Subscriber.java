package io.switchboard.broker;

/** A connection as the broker sees it: somewhere to send frames, owned by one event loop. */
public interface Subscriber {

  String clientId();

  String user();

  /** Queues a frame for the connection; frames are coalesced and flushed once per event-loop turn. */
  void send(String frame);

  /** Like {@link #send(String)}, for a frame encoded to UTF-8 once and shared by many subscribers. */
  void sendEncoded(byte[] frame);

  /** Server-initiated unsubscribe of one channel (the session drops its state and pushes {@code unsubscribe}). */
  void serverUnsubscribe(String channel, int code, String reason);
}
