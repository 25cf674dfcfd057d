package io.switchboard.api;

import io.switchboard.core.UserActions;
import io.switchboard.model.Failure;
import io.switchboard.codec.json.JsonParams;
import io.switchboard.model.CoreException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code refresh {user, client?, expire_at?, expired?}}: sets when the connections expire (epoch seconds; 0 or
 * absent = never), the server-side counterpart of a client's token refresh; {@code expired:true} closes them
 * at once with 3005, so the client reconnects with a new token.
 */
final class RefreshMethod implements ApiMethod {
  private final UserActions users;

  RefreshMethod(UserActions users) {
    this.users = users;
  }

  @Override
  public Future<JsonObject> call(JsonObject p) {
    String user = ApiParams.user(p);
    String client = ApiParams.client(p);
    long expireAt = JsonParams.optLong(p, "expire_at", 0);
    boolean expired = JsonParams.optBool(p, "expired");
    if (expireAt < 0) {
      throw new CoreException(Failure.BAD_REQUEST, "expire_at must not be negative");
    }
    return users.refresh(user, client, expireAt, expired).map(v -> new JsonObject());
  }
}
