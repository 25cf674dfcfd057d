package io.switchboard.codec.json;

import io.switchboard.protocol.ReplyError;
import io.vertx.core.json.JsonObject;

/**
 * Replies of the JSON protocol, as {@code protocol.Frames} built them. The "commands, replies and framing"
 * half of {@link JsonCodec} (the transport branch's) takes these over.
 */
public final class JsonReplies {
  private JsonReplies() {}

  public static String reply(long id, String method, JsonObject result) {
    if (result == null || result.isEmpty()) { // every publish and send: skip the JSON encoder
      return "{\"id\":" + id + ",\"" + method + "\":{}}";
    }
    return new JsonObject().put("id", id).put(method, result).encode();
  }

  public static String error(long id, ReplyError error) {
    return new JsonObject().put("id", id).put("error", error.toJson()).encode();
  }
}
