package io.switchboard.proxy;

import io.switchboard.core.ClientContext;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Builds a proxy request body in Centrifugo's JSON shape by hand: data that is JSON text goes in raw, as
 * {@code data}, without being parsed and written again (the publish path's cost); other bytes go as base64
 * in {@code b64data}. Strings are escaped by Jackson.
 */
final class ProxyJson {
  private final StringBuilder out = new StringBuilder(256).append('{');
  private boolean first = true;

  /** The fields every request carries: client, transport, protocol, encoding (and user and meta if any). */
  static ProxyJson of(ClientContext who, boolean withUser) {
    ProxyJson j = new ProxyJson().string("client", who.client()).string("transport", who.transport())
        .string("protocol", who.protocol()).string("encoding", who.encoding());
    if (withUser) {
      j.string("user", who.user());
      if (who.meta() != null) {
        j.raw("meta", who.meta());
      }
    }
    return j;
  }

  private StringBuilder name(String name) {
    if (!first) {
      out.append(',');
    }
    first = false;
    return out.append('"').append(name).append("\":");
  }

  ProxyJson string(String name, String value) {
    if (value != null) {
      name(name).append(Json.encode(value));
    }
    return this;
  }

  /** JSON text, in as it is (the caller knows it is one valid JSON value). */
  ProxyJson raw(String name, byte[] json) {
    name(name).append(new String(json, StandardCharsets.UTF_8));
    return this;
  }

  /** {@code data} when it is JSON, else {@code b64data}; nothing for null or empty data. */
  ProxyJson data(byte[] data, boolean json) {
    if (data == null || data.length == 0) {
      return this;
    }
    return json ? raw("data", data) : string("b64data", Base64.getEncoder().encodeToString(data));
  }

  Buffer toBuffer() {
    return Buffer.buffer(out.append('}').toString());
  }

  // ---- reading results ----------------------------------------------------------------------------------

  /** A result's {@code <name>} (any JSON value, as JSON text) or {@code b64<name>} (base64 bytes); null if none. */
  static byte[] bytes(JsonObject result, String name) {
    Object v = result.getValue(name);
    if (v != null) {
      return Json.encodeToBuffer(v).getBytes();
    }
    String b64 = result.getString("b64" + name);
    return b64 == null || b64.isEmpty() ? null : Base64.getDecoder().decode(b64);
  }

  /** Whether the result gave {@code <name>} as JSON (rather than {@code b64<name>}). */
  static boolean isJson(JsonObject result, String name) {
    return result.getValue(name) != null;
  }

  /** A result's info as JSON text: {@code info}, or {@code b64info} when it holds JSON text; null if none. */
  static String info(JsonObject result) {
    byte[] b = bytes(result, "info");
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  static JsonArray array(JsonObject result, String name) {
    Object v = result.getValue(name);
    return v instanceof JsonArray a ? a : new JsonArray();
  }
}
