package io.switchboard.api;

import io.switchboard.Node;
import io.switchboard.codec.json.JsonParams;
import io.switchboard.gateway.UserActions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code unsubscribe {user, channel, client?}}: the connections leave the channel (push code 2000). */
final class UnsubscribeMethod implements ApiMethod {

  @Override
  public Future<JsonObject> call(Node node, JsonObject p) {
    String user = ApiParams.user(p);
    String channel = JsonParams.requiredString(p, "channel");
    String client = ApiParams.client(p);
    node.rules.resolve(channel); // a malformed name is a bad request even though nobody can be in it
    return UserActions.unsubscribe(node, user, client, channel).map(v -> new JsonObject());
  }
}
