package io.switchboard.transport.websocket;

import io.switchboard.codec.ClientCodec;
import io.switchboard.codec.json.JsonCodec;
import io.vertx.core.http.ServerWebSocket;
import java.util.List;
import java.util.Map;

/**
 * The WebSocket subprotocols this server speaks, and which codec a connection gets. The one list: the
 * listener announces it and the handshake refuses offers outside it.
 */
final class WebSocketProtocols {
  /**
   * Each accepted {@code Sec-WebSocket-Protocol} value and its codec; a client may also offer none (JSON).
   * {@code centrifuge-protobuf} joins here with the Protobuf codec (issue 11).
   */
  private static final Map<String, ClientCodec> CODECS = Map.of("centrifuge-json", JsonCodec.INSTANCE);

  /** The accepted subprotocols (the server's order does not matter: the client's first accepted offer wins). */
  static final List<String> ACCEPTED = List.copyOf(CODECS.keySet());

  private WebSocketProtocols() {}

  /** Whether a {@code Sec-WebSocket-Protocol} header offers at least one accepted subprotocol. */
  static boolean offersAccepted(String header) {
    for (String p : header.split(",")) {
      if (ACCEPTED.contains(p.trim())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The codec of an accepted connection, from the subprotocol negotiated in its handshake. This is where
   * Protobuf selection goes: the subprotocol {@code centrifuge-protobuf}, or {@code ?cf_protocol=protobuf}
   * (and the older {@code ?format=protobuf}) from {@code ws.query()}, both checked by {@link Handshake} first.
   */
  static ClientCodec codecOf(ServerWebSocket ws) {
    String negotiated = ws.subProtocol(); // null when the client offered none
    return negotiated == null ? JsonCodec.INSTANCE : CODECS.getOrDefault(negotiated, JsonCodec.INSTANCE);
  }
}
