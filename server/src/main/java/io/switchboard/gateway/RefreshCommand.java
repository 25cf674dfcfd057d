package io.switchboard.gateway;

import io.switchboard.ops.NodeStatus;
import io.switchboard.codec.json.JsonParams;
import io.switchboard.auth.ConnectClaims;
import io.switchboard.auth.TokenException;
import io.switchboard.protocol.DisconnectCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code refresh}: a new connection token extends the connection; an expired one closes it (3005). */
final class RefreshCommand implements CommandHandler {
  @Override
  public Future<JsonObject> handle(Session s, JsonObject p) {
    String token = JsonParams.requiredString(p, "token");
    ConnectClaims claims;
    try {
      claims = s.services.tokens().verifyConnect(token);
    } catch (TokenException e) {
      throw new DisconnectException(e.kind() == TokenException.Kind.EXPIRED
          ? DisconnectCode.CONNECTION_EXPIRED : DisconnectCode.INVALID_TOKEN);
    }
    if (!claims.user().equals(s.user)) {
      throw new DisconnectException(DisconnectCode.INVALID_TOKEN);
    }
    s.expireAt = claims.expireAt();
    if (claims.info() != null) {
      s.connInfo = claims.info();
    }
    JsonObject r = new JsonObject().put("client", s.id).put("version", NodeStatus.VERSION);
    if (s.expireAt > 0) {
      r.put("expires", true).put("ttl", Math.max(1, s.expireAt - System.currentTimeMillis() / 1000));
    }
    return Future.succeededFuture(r);
  }
}
