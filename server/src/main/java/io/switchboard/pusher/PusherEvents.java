package io.switchboard.pusher;

import io.switchboard.model.ClientInfo;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The protocol's own events, as frames ({@code data} is a JSON-encoded string where Pusher says so). */
final class PusherEvents {
  static final byte[] PING = bytes(new JsonObject().put("event", "pusher:ping").put("data", "{}"));
  static final byte[] PONG = bytes(new JsonObject().put("event", "pusher:pong").put("data", "{}"));

  private PusherEvents() {}

  static byte[] connectionEstablished(String socketId, long activityTimeoutSeconds) {
    return bytes(new JsonObject().put("event", "pusher:connection_established").put("data",
        new JsonObject().put("socket_id", socketId).put("activity_timeout", activityTimeoutSeconds).encode()));
  }

  /** {@code pusher:error}; its data is an object (as Pusher and pusher-js have it). */
  static byte[] error(int code, String message) {
    return bytes(new JsonObject().put("event", "pusher:error")
        .put("data", new JsonObject().put("code", code).put("message", message)));
  }

  /** A subscription refused: pusher-js emits it on the channel as {@code pusher:subscription_error}. */
  static byte[] subscriptionError(String channel, String type, String message, int status) {
    return bytes(new JsonObject().put("event", "pusher:subscription_error").put("channel", channel)
        .put("data", new JsonObject().put("type", type).put("error", message).put("status", status)));
  }

  /** With {@code members} (user id to info, info null when none) for a presence channel, else null. */
  static byte[] subscriptionSucceeded(String channel, Map<String, String> members) {
    String data = "{}";
    if (members != null) {
      JsonArray ids = new JsonArray();
      JsonObject hash = new JsonObject();
      members.forEach((user, info) -> {
        ids.add(user);
        hash.put(user, info == null ? null : Json.decodeValue(info));
      });
      data = new JsonObject().put("presence", new JsonObject().put("ids", ids).put("hash", hash)
          .put("count", ids.size())).encode();
    }
    return bytes(new JsonObject().put("event", "pusher_internal:subscription_succeeded").put("channel", channel)
        .put("data", data));
  }

  /** Presence members by user id (Pusher lists users, not connections), from the registry's clients. */
  static Map<String, String> members(Map<String, ClientInfo> clients, ClientInfo self) {
    Map<String, String> byUser = new java.util.LinkedHashMap<>();
    for (ClientInfo c : clients.values()) {
      byUser.putIfAbsent(c.user(), c.chanInfo());
    }
    byUser.putIfAbsent(self.user(), self.chanInfo());
    return byUser;
  }

  private static byte[] bytes(JsonObject o) {
    return o.encode().getBytes(StandardCharsets.UTF_8);
  }
}
