package io.switchboard.api;

import io.switchboard.channel.ChannelPolicy;
import io.switchboard.codec.json.JsonParams;
import io.switchboard.codec.json.JsonResults;
import io.switchboard.core.PresenceQueries;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code presence {channel}}: {@code {presence:{clientId:ClientInfo}}}; 108 when the namespace keeps none. */
final class PresenceMethod implements ApiMethod {
  private final ChannelPolicy policy;
  private final PresenceQueries presence;

  PresenceMethod(ChannelPolicy policy, PresenceQueries presence) {
    this.policy = policy;
    this.presence = presence;
  }

  @Override
  public Future<JsonObject> call(JsonObject p) {
    String channel = JsonParams.requiredString(p, "channel");
    return presence.forServer(channel, policy.resolve(channel)).map(JsonResults::presence);
  }
}
