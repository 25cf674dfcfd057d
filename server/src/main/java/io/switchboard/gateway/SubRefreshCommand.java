package io.switchboard.gateway;

import io.switchboard.model.Failure;
import io.switchboard.auth.SubscriptionClaims;
import io.switchboard.auth.TokenException;
import io.switchboard.protocol.DisconnectCode;
import io.switchboard.model.CoreException;
import io.vertx.core.Future;
import io.switchboard.protocol.SubRefreshRequest;
import io.switchboard.protocol.SubRefreshResult;

/** {@code sub_refresh}: a new subscription token extends one subscription. */
final class SubRefreshCommand implements CommandHandler<SubRefreshRequest, SubRefreshResult> {
  @Override
  public Future<SubRefreshResult> handle(Session s, SubRefreshRequest q) {
    String channel = q.channel();
    String token = q.token();
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
    boolean expires = claims.expireAt() > 0;
    return Future.succeededFuture(new SubRefreshResult(expires, expires ? Ttl.of(claims.expireAt()) : 0));
  }
}
