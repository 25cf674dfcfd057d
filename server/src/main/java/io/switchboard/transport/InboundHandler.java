package io.switchboard.transport;

import io.vertx.core.buffer.Buffer;

/** What a {@link Transport} reports from its peer, on the connection's event loop. */
public interface InboundHandler {

  /** A whole text message. */
  void onText(String message);

  /** A whole binary message. */
  void onBinary(Buffer message);

  /** The peer sent a message larger than the transport accepts at all (the session closes with 1009). */
  void onTooBig();

  /** A transport error that did not (yet) close the connection. */
  void onError(Throwable t);

  /** The connection is closed, by the peer or after our close. */
  void onClosed();
}
