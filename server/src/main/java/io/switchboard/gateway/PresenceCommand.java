package io.switchboard.gateway;

import io.switchboard.codec.json.JsonResults;
import io.switchboard.codec.json.JsonParams;
import io.switchboard.config.NamespaceOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code presence}: the clients in a channel, across the deployment. */
final class PresenceCommand implements CommandHandler {
  @Override
  public Future<JsonObject> handle(Session s, JsonObject p) {
    String channel = JsonParams.requiredString(p, "channel");
    NamespaceOptions ns = s.services.policy().resolve(channel);
    return s.services.core().presence().forClient(channel, ns, s.isSubscribed(channel)).map(JsonResults::presence);
  }
}
