package io.switchboard.protocol;

import io.switchboard.model.ClientInfo;
import io.switchboard.model.Publication;
import io.switchboard.model.RawJson;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Builds outgoing frames. Pushes are written as text directly (raw JSON data embedded as is), so that a
 * publication is encoded once per node and the same string goes to every subscriber.
 */
public final class Frames {
  private Frames() {}

  /** The server's ping, and the client's pong: an empty object. */
  public static final String PING = "{}";

  public static String reply(long id, String method, JsonObject result) {
    if (result == null || result.isEmpty()) { // every publish and send: skip the JSON encoder
      return "{\"id\":" + id + ",\"" + method + "\":{}}";
    }
    return new JsonObject().put("id", id).put(method, result).encode();
  }

  public static String error(long id, ReplyError error) {
    return new JsonObject().put("id", id).put("error", error.toJson()).encode();
  }

  /** {@code {"push":{"channel":ch,"pub":{...}}}}. */
  public static String pubPush(Publication p) {
    StringBuilder sb = new StringBuilder(96 + p.data().length);
    sb.append("{\"push\":{\"channel\":");
    RawJson.appendString(sb, p.channel());
    sb.append(",\"pub\":");
    appendPublication(sb, p);
    return sb.append("}}").toString();
  }

  /** The publication object as it appears in pushes, history and recovery results. */
  public static JsonObject publicationJson(Publication p) {
    StringBuilder sb = new StringBuilder(64 + p.data().length);
    appendPublication(sb, p);
    return new JsonObject(sb.toString());
  }

  private static void appendPublication(StringBuilder sb, Publication p) {
    sb.append("{\"data\":").append(new String(io.switchboard.codec.json.JsonData.encoded(p.data(), p.json()),
        java.nio.charset.StandardCharsets.UTF_8));
    if (p.info() != null) {
      sb.append(",\"info\":").append(p.info().encoded());
    }
    if (p.offset() > 0) {
      sb.append(",\"offset\":").append(p.offset());
    }
    if (p.tags() != null && !p.tags().isEmpty()) {
      sb.append(",\"tags\":").append(new JsonObject(Map.copyOf(p.tags())).encode());
    }
    sb.append('}');
  }

  public static String joinPush(String channel, ClientInfo info) {
    return push(channel, "join", new JsonObject().put("info", info.toJson()));
  }

  public static String leavePush(String channel, ClientInfo info) {
    return push(channel, "leave", new JsonObject().put("info", info.toJson()));
  }

  public static String unsubscribePush(String channel, int code, String reason) {
    return push(channel, "unsubscribe", new JsonObject().put("code", code).put("reason", reason));
  }

  public static String subscribePush(String channel, JsonObject subscribeResult) {
    return push(channel, "subscribe", subscribeResult);
  }

  /** An asynchronous message to the client (no channel), e.g. the read-position sync between devices. */
  public static String messagePush(Object data) {
    return new JsonObject().put("push", new JsonObject().put("message", new JsonObject().put("data", data))).encode();
  }

  public static String disconnectPush(int code, String reason, boolean reconnect) {
    return new JsonObject().put("push", new JsonObject().put("disconnect",
        new JsonObject().put("code", code).put("reason", reason).put("reconnect", reconnect))).encode();
  }

  private static String push(String channel, String kind, JsonObject body) {
    return new JsonObject().put("push", new JsonObject().put("channel", channel).put(kind, body)).encode();
  }
}
