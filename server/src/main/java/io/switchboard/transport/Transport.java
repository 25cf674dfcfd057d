package io.switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;

/**
 * A bidirectional message pipe as a session sees it: whole messages in and out, back-pressure, and a close
 * with a protocol code. One per connection, used only on its event loop. WebSocket is one; HTTP-streaming and
 * SSE with their emulation POSTs are others. What a message carries (frames joined by the codec) is not the
 * transport's business, nor is the protocol above it.
 */
public interface Transport {

  /** Starts delivering what arrives to {@code inbound}; call once, on the connection's event loop. */
  void start(InboundHandler inbound);

  /** Writes one message, as built by the codec's {@code message} or {@code join}; the transport owns it then. */
  void write(ByteBuf message);

  /** Whether the peer is behind: queued output passed the transport's high-water mark. */
  boolean writeQueueFull();

  /** Calls {@code onDrain} once output queued here falls below the low-water mark after being full. */
  void drainHandler(Runnable onDrain);

  /**
   * Stops reading from the peer until {@link #resumeReading}: the session has read as much as it may hold
   * unanswered. A WebSocket stops reading its socket (TCP back-pressure reaches the client). The default does
   * nothing: the transport has no later input of its own (uni transports, and HTTP-streaming and SSE, whose
   * later commands come in emulation requests, refused with 429 while the session is over its bound).
   */
  default void pauseReading() {}

  /** Reads again after {@link #pauseReading}. */
  default void resumeReading() {}

  /** Closes with a protocol close code and a non-empty reason; completes when the close is written. */
  Future<Void> close(short code, String reason);

  /** Whether the connection is closed (either side). */
  boolean isClosed();

  /**
   * The value of a header of the request that opened the connection (the WebSocket upgrade, the streaming
   * request), or null: read at connect, for the few headers the backend proxies forward.
   */
  default String requestHeader(String name) {
    return null;
  }

  /** The connection has copied the headers it needs: {@link #requestHeader} may answer null from now on. */
  default void forgetRequestHeaders() {
  }

  /** The transport's name as Centrifugo's proxies tell it: websocket, http_stream, sse, uni_websocket, ... */
  default String name() {
    return "websocket";
  }

  /** The peer's address, for logs. */
  SocketAddress remoteAddress();

  /**
   * The emulation session id of a transport that carries only the server's side (HTTP-streaming, SSE): the
   * client sends its later commands in separate requests naming it, and the connect reply tells it (with the
   * node). Null for transports that carry both directions (WebSocket).
   */
  default String session() {
    return null;
  }
}
