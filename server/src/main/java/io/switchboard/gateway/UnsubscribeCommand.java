package io.switchboard.gateway;

import io.switchboard.protocol.UnsubscribeRequest;
import io.switchboard.protocol.UnsubscribeResult;
import io.vertx.core.Future;

/** {@code unsubscribe}: always succeeds, also when not subscribed (an error would make the SDK reconnect). */
final class UnsubscribeCommand implements CommandHandler<UnsubscribeRequest, UnsubscribeResult> {
  @Override
  public Future<UnsubscribeResult> handle(Session s, UnsubscribeRequest q) {
    Session.ActiveSub a = s.subs.get(q.channel());
    if (a != null) {
      s.dropSubscription(a);
    }
    return Future.succeededFuture(UnsubscribeResult.INSTANCE);
  }
}
