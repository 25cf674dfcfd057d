package io.switchboard.api;

import io.switchboard.core.UserActions;
import io.switchboard.channel.ChannelPolicy;
import io.switchboard.codec.json.JsonParams;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code unsubscribe {user, channel, client?}}: the connections leave the channel (push code 2000). */
final class UnsubscribeMethod implements ApiMethod {
  private final ChannelPolicy policy;
  private final UserActions users;

  UnsubscribeMethod(ChannelPolicy policy, UserActions users) {
    this.policy = policy;
    this.users = users;
  }

  @Override
  public Future<JsonObject> call(JsonObject p) {
    String user = ApiParams.user(p);
    String channel = JsonParams.requiredString(p, "channel");
    String client = ApiParams.client(p);
    policy.resolve(channel); // a malformed name is a bad request even though nobody can be in it
    return users.unsubscribe(user, client, channel).map(v -> new JsonObject());
  }
}
