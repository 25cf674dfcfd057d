package io.switchboard.transport.websocket;

import io.switchboard.codec.ClientCodec;
import io.switchboard.codec.json.JsonCodec;
import io.switchboard.codec.protobuf.ProtobufCodec;
import io.switchboard.transport.Codecs;
import io.vertx.core.http.ServerWebSocket;
import java.util.List;
import java.util.Map;

/**
 * The WebSocket subprotocols this server speaks, and which codec a connection gets. The one list: the
 * listener announces it and the handshake refuses offers outside it.
 */
final class WebSocketProtocols {
  /** Each accepted {@code Sec-WebSocket-Protocol} value and its codec; a client may also offer none (JSON). */
  static final String PROTOBUF = "centrifuge-protobuf";

  private static final Map<String, ClientCodec> CODECS =
      Map.of("centrifuge-json", JsonCodec.INSTANCE, PROTOBUF, ProtobufCodec.INSTANCE);

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
   * The codec of an accepted connection: the subprotocol negotiated in its handshake, {@code ?cf_protocol} or
   * the older {@code ?format=protobuf} ({@link Codecs#select}); {@link Handshake} refused a bad cf_protocol.
   */
  static ClientCodec codecOf(ServerWebSocket ws) {
    String negotiated = ws.subProtocol(); // null when the client offered none
    ClientCodec codec = Codecs.select(ws.query(), PROTOBUF.equals(negotiated));
    return codec == null ? JsonCodec.INSTANCE : codec;
  }
}
