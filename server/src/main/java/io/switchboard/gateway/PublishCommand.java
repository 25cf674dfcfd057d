package io.switchboard.gateway;

import io.switchboard.codec.json.JsonParams;
import io.switchboard.config.NamespaceOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code publish}: answered with {@code {}} only after a durable publication is committed. */
final class PublishCommand implements CommandHandler {
  @Override
  public Future<JsonObject> handle(Session s, JsonObject p) {
    String channel = JsonParams.requiredString(p, "channel");
    String data = JsonParams.requiredData(p);
    NamespaceOptions ns = s.services.policy().resolve(channel);
    Session.ActiveSub a = s.subs.get(channel);
    String chanInfo = a == null ? null : a.sub().chanInfo;
    return s.services.core().publishing().byClient(channel, ns, data, s.clientInfo(chanInfo), s.isSubscribed(channel))
        .map(r -> new JsonObject());
  }
}
