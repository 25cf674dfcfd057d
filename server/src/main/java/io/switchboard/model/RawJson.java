package io.switchboard.model;

import io.vertx.core.json.Json;

/**
 * Raw JSON values kept as text. The JSON protocol embeds {@code conn_info} and {@code chan_info} as JSON, and we
 * store and forward them as compact text. (Publication data is bytes: {@link Publication}.)
 */
public final class RawJson {
  private RawJson() {}

  public static Object parse(String raw) {
    return raw == null ? null : Json.decodeValue(raw);
  }

  public static String encode(Object value) {
    return value == null ? null : Json.encode(value);
  }

  /** Appends {@code s} as a JSON string literal. */
  public static void appendString(StringBuilder sb, String s) {
    if (s == null) {
      sb.append("null");
      return;
    }
    sb.append('"');
    if (needsEscape(s)) {
      com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s, sb);
    } else {
      sb.append(s); // ids and channel names almost never need escaping; the encoder appends char by char
    }
    sb.append('"');
  }

  private static boolean needsEscape(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7f) {
        return true;
      }
    }
    return false;
  }
}
