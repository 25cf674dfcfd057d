package io.switchboard.transport.uni;

import io.netty.buffer.ByteBuf;
import io.switchboard.transport.InboundHandler;
import io.switchboard.transport.Transport;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A unidirectional WebSocket: a WebSocket {@link Transport} whose peer sends exactly one message, its connect
 * request, or none when the request came in the {@code cf_connect} query parameter (then handed to the session
 * as if it had been read). Whatever the client sends after that is read and dropped, as Centrifugo does; the
 * session above never sees it. Output, back-pressure and the close frame are the WebSocket's.
 */
final class UniWebSocketTransport implements Transport, InboundHandler {
  private final Transport ws;
  /** The connect request from the URL, until it is handed on; null when the first message carries it. */
  private String connectFromUrl;
  private InboundHandler inbound;
  private boolean connectRead;

  UniWebSocketTransport(Transport ws, String connectFromUrl) {
    this.ws = ws;
    this.connectFromUrl = connectFromUrl;
  }

  @Override
  public void start(InboundHandler inbound) {
    this.inbound = inbound;
    ws.start(this);
    if (connectFromUrl != null) {
      String connect = connectFromUrl;
      connectFromUrl = null;
      connectRead = true;
      inbound.onText(connect);
    }
  }

  // ---- from the socket -------------------------------------------------------------------------------------

  @Override
  public void onText(String message) {
    if (!connectRead) {
      connectRead = true;
      inbound.onText(message);
    }
  }

  /** Centrifugo reads the connect request from whichever kind of message brings it. */
  @Override
  public void onBinary(Buffer message) {
    if (!connectRead) {
      onText(message.toString(StandardCharsets.UTF_8));
    }
  }

  @Override
  public void onTooBig() {
    inbound.onTooBig();
  }

  @Override
  public void onError(Throwable t) {
    inbound.onError(t);
  }

  @Override
  public void onClosed() {
    inbound.onClosed();
  }

  // ---- to the socket ---------------------------------------------------------------------------------------

  @Override
  public void write(ByteBuf message) {
    ws.write(message);
  }

  @Override
  public boolean writeQueueFull() {
    return ws.writeQueueFull();
  }

  @Override
  public void drainHandler(Runnable onDrain) {
    ws.drainHandler(onDrain);
  }

  @Override
  public Future<Void> close(short code, String reason) {
    return ws.close(code, reason);
  }

  @Override
  public boolean isClosed() {
    return ws.isClosed();
  }

  @Override
  public String requestHeader(String name) {
    return ws.requestHeader(name);
  }

  @Override
  public String name() {
    return "uni_websocket";
  }

  @Override
  public SocketAddress remoteAddress() {
    return ws.remoteAddress();
  }
}
