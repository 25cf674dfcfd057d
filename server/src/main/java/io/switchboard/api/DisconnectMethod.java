package io.switchboard.api;

import io.switchboard.core.UserActions;
import io.switchboard.model.Failure;
import io.switchboard.codec.json.JsonParams;
import io.switchboard.protocol.DisconnectCode;
import io.switchboard.model.CoreException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * {@code disconnect {user, client?, disconnect?{code, reason}}}: closes the connections, by default with 3503
 * "force disconnect" (terminal: the SDK does not reconnect).
 */
final class DisconnectMethod implements ApiMethod {
  private final UserActions users;

  DisconnectMethod(UserActions users) {
    this.users = users;
  }
  /** A WebSocket close frame holds at most 123 bytes of reason. */
  private static final int MAX_REASON_BYTES = 123;

  @Override
  public Future<JsonObject> call(JsonObject p) {
    String user = ApiParams.user(p);
    String client = ApiParams.client(p);
    JsonObject d = JsonParams.optObject(p, "disconnect");
    int code = DisconnectCode.FORCE_DISCONNECT.code;
    String reason = DisconnectCode.FORCE_DISCONNECT.reason;
    if (d != null) {
      long c = JsonParams.optLong(d, "code", 0);
      // Application close codes only: 1xxx belong to the WebSocket protocol and most of them can't be sent.
      if (c < 3000 || c > 4999) {
        throw new CoreException(Failure.BAD_REQUEST, "disconnect.code must be in 3000..4999");
      }
      // An empty reason makes centrifuge-js treat even a terminal code as a transport drop and reconnect.
      reason = JsonParams.requiredString(d, "reason");
      if (reason.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
        throw new CoreException(Failure.BAD_REQUEST, "disconnect.reason longer than 123 bytes");
      }
      code = (int) c;
    }
    return users.disconnect(user, client, code, reason).map(v -> new JsonObject());
  }
}
