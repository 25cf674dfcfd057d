package io.switchboard.transport.websocket;

import io.switchboard.codec.ClientCodec;
import io.switchboard.transport.OriginCheck;
import io.switchboard.transport.TransportAcceptor;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;

/**
 * The bidirectional WebSocket endpoint, {@code /connection/websocket}, of one event loop's listener: checks
 * each handshake, and hands each accepted socket, as a {@link WebSocketTransport} with the codec its
 * subprotocol asks for, to the loop's {@link TransportAcceptor}.
 */
public final class WebSocketEndpoint {
  public static final String PATH = "/connection/websocket";
  private static final String PATH_SLASH = PATH + "/";

  private final Handshake handshake;
  private final TransportAcceptor acceptor;

  public WebSocketEndpoint(OriginCheck origins, TransportAcceptor acceptor) {
    this.handshake = new Handshake(origins);
    this.acceptor = acceptor;
  }

  /** Whether an upgrade request for {@code path} is for this endpoint. */
  public static boolean serves(String path) {
    return PATH.equals(path) || PATH_SLASH.equals(path);
  }

  /** The listener's WebSocket settings: message limits, no compression, the accepted subprotocols. */
  public static HttpServerOptions configure(HttpServerOptions options, int maxMessageBytes) {
    return options
        // Netty drops a connection whose frame passes this without a close frame (1006), so the transport
        // limit sits well above ours and the session itself closes oversized messages with 1009.
        .setMaxWebSocketFrameSize(transportLimit(maxMessageBytes))
        .setMaxWebSocketMessageSize(transportLimit(maxMessageBytes))
        .setPerMessageWebSocketCompressionSupported(false) // on by default in Vert.x; costs CPU and memory
        .setPerFrameWebSocketCompressionSupported(false)
        .setWebSocketSubProtocols(WebSocketProtocols.ACCEPTED);
  }

  private static int transportLimit(int maxMessageBytes) {
    return (int) Math.min(16L * 1024 * 1024, Math.max(1L << 20, 4L * maxMessageBytes));
  }

  /** Accepts or rejects (400 subprotocol, 403 origin) an upgrade to {@link #PATH}. */
  public void handshake(ServerWebSocketHandshake hs) {
    int status = handshake.check(hs);
    if (status == 0) {
      hs.accept();
    } else {
      hs.reject(status);
    }
  }

  /** Starts a session on a socket this endpoint accepted; on its event loop, before anything is written. */
  public void accept(ServerWebSocket ws) {
    UpgradeLeftovers.releaseRequest(ws);
    ClientCodec codec = WebSocketProtocols.codecOf(ws);
    acceptor.accept(new WebSocketTransport(ws, codec.binary()), codec);
  }
}
