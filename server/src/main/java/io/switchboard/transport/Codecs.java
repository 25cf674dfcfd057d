package io.switchboard.transport;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.codec.ClientCodec;
import io.switchboard.codec.json.JsonCodec;
import io.switchboard.codec.protobuf.ProtobufCodec;
import java.util.List;
import java.util.Map;

/**
 * The client protocol's codecs by name, and how a connection chooses one, the same on every transport:
 * {@code ?cf_protocol=json|protobuf} (another value is refused), the older {@code ?format=protobuf}, or (on
 * WebSocket) the subprotocol {@code centrifuge-protobuf}; JSON otherwise. (It lives here rather than in
 * {@code codec}, which its implementations import.)
 */
public final class Codecs {
  private static final Map<String, ClientCodec> BY_NAME =
      Map.of(JsonCodec.INSTANCE.name(), JsonCodec.INSTANCE, ProtobufCodec.INSTANCE.name(), ProtobufCodec.INSTANCE);

  private Codecs() {}

  /** The codec of a {@code cf_protocol} value ({@code json}, {@code protobuf}), or null for another name. */
  public static ClientCodec byName(String name) {
    return name == null ? null : BY_NAME.get(name);
  }

  /**
   * The codec a request asks for in its query string ({@code query}: the part after {@code ?}, may be null),
   * with {@code protobufSubprotocol} when the WebSocket handshake negotiated {@code centrifuge-protobuf}: any of
   * the three asking for Protobuf selects it. Null when {@code cf_protocol} names no codec (refuse with 400).
   */
  public static ClientCodec select(String query, boolean protobufSubprotocol) {
    Map<String, List<String>> params = query == null || query.isEmpty() ? Map.of()
        : new QueryStringDecoder(query, false).parameters();
    ClientCodec asked = JsonCodec.INSTANCE;
    List<String> cf = params.get("cf_protocol");
    if (cf != null && !cf.isEmpty()) {
      asked = byName(cf.get(0));
      if (asked == null) {
        return null;
      }
    }
    List<String> format = params.get("format");
    if (protobufSubprotocol || (format != null && format.contains("protobuf"))) {
      return ProtobufCodec.INSTANCE;
    }
    return asked;
  }
}
