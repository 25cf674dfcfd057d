package io.switchboard.gateway;

import io.switchboard.codec.json.JsonParams;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code unsubscribe}: always succeeds, also when not subscribed (an error would make the SDK reconnect). */
final class UnsubscribeCommand implements CommandHandler {
  @Override
  public Future<JsonObject> handle(Session s, JsonObject p) {
    String channel = JsonParams.requiredString(p, "channel");
    Session.ActiveSub a = s.subs.get(channel);
    if (a != null) {
      s.dropSubscription(a);
    }
    return Future.succeededFuture(new JsonObject());
  }
}
