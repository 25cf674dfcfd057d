package io.switchboard.api;

import io.switchboard.Node;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.codec.json.JsonParams;
import io.switchboard.gateway.UserActions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code subscribe {user, channel, client?, recover_since?{offset,epoch}}}: server-side subscription of the
 * user's connections on this node; each gets a {@code subscribe} push. No client permission applies.
 */
final class SubscribeMethod implements ApiMethod {

  @Override
  public Future<JsonObject> call(Node node, JsonObject p) {
    String user = ApiParams.user(p);
    String channel = JsonParams.requiredString(p, "channel");
    String client = ApiParams.client(p);
    JsonObject recoverSince = JsonParams.optObject(p, "recover_since");
    NamespaceOptions ns = node.rules.resolve(channel);
    return UserActions.subscribe(node, user, client, channel, ns, recoverSince).map(v -> new JsonObject());
  }
}
