package io.switchboard.gateway;

import io.switchboard.codec.json.JsonParams;
import io.switchboard.model.Failure;
import io.switchboard.auth.SubscriptionClaims;
import io.switchboard.auth.TokenException;
import io.switchboard.protocol.DisconnectCode;
import io.switchboard.model.CoreException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code sub_refresh}: a new subscription token extends one subscription. */
final class SubRefreshCommand implements CommandHandler {
  @Override
  public Future<JsonObject> handle(Session s, JsonObject p) {
    String channel = JsonParams.requiredString(p, "channel");
    String token = JsonParams.requiredString(p, "token");
    Session.ActiveSub a = s.subs.get(channel);
    if (a == null) {
      throw new CoreException(Failure.PERMISSION_DENIED, "not subscribed");
    }
    SubscriptionClaims claims;
    try {
      claims = s.services.tokens().verifySubscription(token);
    } catch (TokenException e) {
      throw new CoreException(e.kind() == TokenException.Kind.EXPIRED ? Failure.TOKEN_EXPIRED : Failure.PERMISSION_DENIED);
    }
    if (!channel.equals(claims.channel()) || !s.user.equals(claims.user())) {
      throw new DisconnectException(DisconnectCode.INVALID_TOKEN);
    }
    a.sub().expireAt = claims.expireAt();
    JsonObject r = new JsonObject();
    if (claims.expireAt() > 0) {
      r.put("expires", true).put("ttl", Math.max(1, claims.expireAt() - System.currentTimeMillis() / 1000));
    }
    return Future.succeededFuture(r);
  }
}
