package io.switchboard.gateway;

import io.switchboard.codec.json.JsonParams;
import io.switchboard.config.NamespaceOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code presence_stats}: client and distinct user counts of a channel. */
final class PresenceStatsCommand implements CommandHandler {
  @Override
  public Future<JsonObject> handle(Session s, JsonObject p) {
    String channel = JsonParams.requiredString(p, "channel");
    NamespaceOptions ns = s.node.rules.resolve(channel);
    s.node.rules.checkPresence(ns, s.isSubscribed(channel));
    return s.node.presence.stats(channel).map(st ->
        new JsonObject().put("num_clients", st.numClients()).put("num_users", st.numUsers()));
  }
}
