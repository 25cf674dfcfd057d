package io.switchboard.transport.uni;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.codec.BadMessageException;
import io.switchboard.codec.json.UniJsonCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The connect request of a unidirectional connection, where the transport finds it before any session exists:
 * the {@code cf_connect} query parameter (uni_sse GET, uni_websocket) or a POST body (uni_sse, uni_http_stream).
 * It is checked here with the codec that will read it, so a malformed one is refused with HTTP 400 before a
 * stream starts, as Centrifugo refuses it.
 */
final class ConnectRequests {
  /** The query parameter carrying the connect request as JSON, as in Centrifugo. */
  static final String PARAM = "cf_connect";

  private ConnectRequests() {}

  /** The decoded {@code cf_connect} of a raw query string ({@code a=1&b=2}), or null when absent or empty. */
  static String fromQuery(String query) {
    if (query == null || query.isEmpty()) {
      return null;
    }
    List<String> values = new QueryStringDecoder(query, StandardCharsets.UTF_8, false).parameters().get(PARAM);
    return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
  }

  /** Whether {@code json} is a connect request the session will accept as such (an object, or null). */
  static boolean valid(String json) {
    try {
      UniJsonCodec.INSTANCE.decode(json);
      return true;
    } catch (BadMessageException e) {
      return false;
    }
  }

  /** Whether {@code text} is over {@code maxBytes} of UTF-8. */
  static boolean tooBig(String text, int maxBytes) {
    return text.length() > maxBytes
        || ((long) text.length() * 3 > maxBytes && text.getBytes(StandardCharsets.UTF_8).length > maxBytes);
  }
}
