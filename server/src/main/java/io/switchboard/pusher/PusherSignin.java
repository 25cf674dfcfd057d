package io.switchboard.pusher;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * User authentication ({@code pusher:signin}): {@code auth} = {@code key:HMAC-SHA256(secret,
 * "socket_id::user::user_data")}, {@code user_data} a JSON object with a string {@code id}. A signed-in
 * connection is registered as its user, so that the server API's terminate_connections finds it on every node.
 */
final class PusherSignin {
  /** The server-to-user channel pusher-js subscribes to after signin (sendToUser; not supported). */
  static final String SERVER_TO_USER_PREFIX = "#server-to-user-";

  private PusherSignin() {}

  /** The hub's name of a Pusher user: the app's users never meet another app's, nor Centrifugo users. */
  static String hubUser(String appId, String userId) {
    return PusherChannels.NAMESPACE_PREFIX + appId + ":" + userId;
  }

  /** The user id of a valid signin, or null. */
  static String userId(PusherSession session, JsonObject data) {
    String userData = data.getValue("user_data") instanceof String s ? s : null;
    String auth = data.getValue("auth") instanceof String s ? s : null;
    if (userData == null || auth == null) {
      return null;
    }
    String expected = session.app.key() + ":"
        + PusherSignatures.hmacHex(session.app.secret(), session.socketId + "::user::" + userData);
    if (!PusherSignatures.same(expected, auth)) {
      return null;
    }
    try {
      Object id = new JsonObject(userData).getValue("id");
      return id instanceof String s && !s.isEmpty() && s.indexOf(0) < 0 ? s : null;
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  static byte[] success(String userData) {
    return new JsonObject().put("event", "pusher:signin_success")
        .put("data", new JsonObject().put("user_data", userData).encode()).encode()
        .getBytes(StandardCharsets.UTF_8);
  }
}
