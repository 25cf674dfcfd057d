package io.switchboard.model;

import io.vertx.core.json.Json;

/**
 * Raw JSON values kept as text. The protocol embeds {@code data}, {@code conn_info} and {@code chan_info}
 * as JSON, and we store and forward exactly what the publisher sent.
 */
public final class RawJson {
  private RawJson() {}

  public static Object parse(String raw) {
    return raw == null ? null : Json.decodeValue(raw);
  }

  public static String encode(Object value) {
    return value == null ? null : Json.encode(value);
  }
}
