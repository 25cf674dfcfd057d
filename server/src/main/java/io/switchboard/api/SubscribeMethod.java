package io.switchboard.api;

import io.switchboard.channel.ChannelPolicy;
import io.switchboard.codec.json.JsonParams;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.core.UserActions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code subscribe {user, channel, client?, recover_since?{offset,epoch}}}: server-side subscription of the
 * user's connections on every node; each gets a {@code subscribe} push. No client permission applies.
 */
final class SubscribeMethod implements ApiMethod {
  private final ChannelPolicy policy;
  private final UserActions users;

  SubscribeMethod(ChannelPolicy policy, UserActions users) {
    this.policy = policy;
    this.users = users;
  }

  @Override
  public Future<JsonObject> call(JsonObject p) {
    String user = ApiParams.user(p);
    String channel = JsonParams.requiredString(p, "channel");
    String client = ApiParams.client(p);
    JsonObject recoverSince = JsonParams.optObject(p, "recover_since");
    NamespaceOptions ns = policy.resolve(channel);
    // Parsed here, on the caller's thread, so that a bad recover_since fails the call instead of a loop task.
    UserActions.Since since = recoverSince == null ? null : new UserActions.Since(
        JsonParams.optOffset(recoverSince, "offset"), JsonParams.optString(recoverSince, "epoch"));
    return users.subscribe(user, client, channel, ns, since).map(v -> new JsonObject());
  }
}
