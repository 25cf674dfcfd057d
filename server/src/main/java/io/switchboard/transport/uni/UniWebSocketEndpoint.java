package io.switchboard.transport.uni;

import io.switchboard.codec.json.UniJsonCodec;
import io.switchboard.transport.OriginCheck;
import io.switchboard.transport.TransportAcceptor;
import io.switchboard.transport.websocket.WebSocketTransport;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;

/**
 * The unidirectional WebSocket endpoint, {@code /connection/uni_websocket}, of one event loop's listener. The
 * connect request is the first message, or the {@code cf_connect} query parameter; after it the client only
 * listens. Pushes go out one per text message in the unidirectional JSON shape ({@link UniJsonCodec}); a
 * disconnect is a {@code disconnect} push followed by the close frame with the same code, as in Centrifugo.
 */
public final class UniWebSocketEndpoint {
  public static final String PATH = "/connection/uni_websocket";
  private static final String PATH_SLASH = PATH + "/";

  private final OriginCheck origins;
  private final int maxConnectBytes;
  private final TransportAcceptor acceptor;

  public UniWebSocketEndpoint(OriginCheck origins, int maxConnectBytes, TransportAcceptor acceptor) {
    this.origins = origins;
    this.maxConnectBytes = maxConnectBytes;
    this.acceptor = acceptor;
  }

  /** Whether an upgrade request for {@code path} is for this endpoint. */
  public static boolean serves(String path) {
    return PATH.equals(path) || PATH_SLASH.equals(path);
  }

  /**
   * Accepts, or rejects a browser origin that is not allowed (403) and a {@code cf_connect} that is not a
   * connect request (400, before the upgrade, as Centrifugo does) or is over {@code client.max_message_bytes}
   * (413). Subprotocols are not looked at: there is only the one format.
   */
  public void handshake(ServerWebSocketHandshake hs) {
    if (!origins.allows(hs.headers().get("Origin"), hs.headers().get("Host"))) {
      hs.reject(403);
      return;
    }
    String connect = ConnectRequests.fromQuery(hs.query());
    if (connect != null && ConnectRequests.tooBig(connect, maxConnectBytes)) {
      hs.reject(413);
    } else if (connect != null && !ConnectRequests.valid(connect)) {
      hs.reject(400);
    } else {
      hs.accept();
    }
  }

  /** Starts a session on a socket this endpoint accepted; on its event loop, before anything is written. */
  public void accept(ServerWebSocket ws) {
    UniJsonCodec codec = UniJsonCodec.INSTANCE;
    WebSocketTransport socket = new WebSocketTransport(ws, codec.binary());
    acceptor.accept(new UniWebSocketTransport(socket, ConnectRequests.fromQuery(ws.query())), codec);
  }
}
