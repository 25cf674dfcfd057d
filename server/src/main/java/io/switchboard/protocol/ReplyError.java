package io.switchboard.protocol;

import io.vertx.core.json.JsonObject;

/** An error as it travels in a reply: {@code {"code":C,"message":"...","temporary":true}}. */
public record ReplyError(int code, String message, boolean temporary) {

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("code", code).put("message", message);
    if (temporary) {
      o.put("temporary", true);
    }
    return o;
  }

}
