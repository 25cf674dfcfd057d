package io.switchboard.api;

import io.switchboard.channel.ChannelPolicy;
import io.switchboard.codec.json.JsonParams;
import io.switchboard.codec.json.JsonResults;
import io.switchboard.core.PresenceQueries;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code presence_stats {channel}}: {@code {num_clients, num_users}}; 108 when the namespace keeps no presence. */
final class PresenceStatsMethod implements ApiMethod {
  private final ChannelPolicy policy;
  private final PresenceQueries presence;

  PresenceStatsMethod(ChannelPolicy policy, PresenceQueries presence) {
    this.policy = policy;
    this.presence = presence;
  }

  @Override
  public Future<JsonObject> call(JsonObject p) {
    String channel = JsonParams.requiredString(p, "channel");
    return presence.statsForServer(channel, policy.resolve(channel)).map(JsonResults::presenceStats);
  }
}
