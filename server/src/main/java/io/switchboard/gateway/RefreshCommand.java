package io.switchboard.gateway;

import io.switchboard.ops.NodeStatus;
import io.switchboard.auth.ConnectClaims;
import io.switchboard.auth.TokenException;
import io.switchboard.protocol.DisconnectCode;
import io.vertx.core.Future;
import io.switchboard.protocol.RefreshRequest;
import io.switchboard.protocol.RefreshResult;

/** {@code refresh}: a new connection token extends the connection; an expired one closes it (3005). */
final class RefreshCommand implements CommandHandler<RefreshRequest, RefreshResult> {
  @Override
  public Future<RefreshResult> handle(Session s, RefreshRequest q) {
    String token = q.token();
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
    boolean expires = s.expireAt > 0;
    return Future.succeededFuture(
        new RefreshResult(s.id, NodeStatus.VERSION, expires, expires ? Ttl.of(s.expireAt) : 0));
  }
}
