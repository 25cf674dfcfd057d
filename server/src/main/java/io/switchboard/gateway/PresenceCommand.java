package io.switchboard.gateway;

import io.switchboard.codec.json.JsonParams;
import io.switchboard.config.NamespaceOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code presence}: the clients in a channel, across the deployment. */
final class PresenceCommand implements CommandHandler {
  @Override
  public Future<JsonObject> handle(Session s, JsonObject p) {
    String channel = JsonParams.requiredString(p, "channel");
    NamespaceOptions ns = s.node.rules.resolve(channel);
    s.node.rules.checkPresence(ns, s.isSubscribed(channel));
    return s.node.presence.get(channel).map(m -> {
      JsonObject presence = new JsonObject();
      m.forEach((client, info) -> presence.put(client, info.toJson()));
      return new JsonObject().put("presence", presence);
    });
  }
}
