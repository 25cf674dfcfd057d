package io.switchboard.codec.json;

import io.switchboard.model.RawJson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Publication data in the JSON protocol. JSON data is embedded as it is, byte for byte. A JSON frame cannot carry
 * other bytes (Protobuf clients publish arbitrary ones, issue 11), so that a JSON client never gets a broken
 * frame such data is written as a JSON string of its base64 (standard alphabet, padded).
 */
public final class JsonData {
  private JsonData() {}

  /** The data as JSON text in UTF-8: the bytes themselves when they are JSON, else the base64 string literal. */
  public static byte[] encoded(byte[] data, boolean json) {
    if (json) {
      return data;
    }
    byte[] b64 = Base64.getEncoder().encode(data);
    byte[] out = new byte[b64.length + 2];
    out[0] = '"';
    System.arraycopy(b64, 0, out, 1, b64.length);
    out[out.length - 1] = '"';
    return out;
  }

  /** The data as a value for a JSON object being built: the parsed JSON, or the base64 string. */
  public static Object value(byte[] data, boolean json) {
    return json ? RawJson.parse(new String(data, StandardCharsets.UTF_8)) : Base64.getEncoder().encodeToString(data);
  }
}
