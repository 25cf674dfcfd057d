package io.switchboard.api;

import io.switchboard.model.Failure;
import io.switchboard.Node;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.codec.json.JsonParams;
import io.switchboard.model.CoreException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code presence {channel}}: {@code {presence:{clientId:ClientInfo}}}; 108 when the namespace keeps none. */
final class PresenceMethod implements ApiMethod {

  @Override
  public Future<JsonObject> call(Node node, JsonObject p) {
    String channel = presenceChannel(node, p);
    return node.presence.get(channel).map(m -> {
      JsonObject presence = new JsonObject();
      m.forEach((client, info) -> presence.put(client, info.toJson()));
      return new JsonObject().put("presence", presence);
    });
  }

  /** The request's channel, checked to be in a namespace with presence (shared with presence_stats). */
  static String presenceChannel(Node node, JsonObject p) {
    String channel = JsonParams.requiredString(p, "channel");
    NamespaceOptions ns = node.rules.resolve(channel);
    if (!ns.presence()) {
      throw new CoreException(Failure.NOT_AVAILABLE);
    }
    return channel;
  }
}
