package io.switchboard.gateway;

import io.switchboard.config.NamespaceOptions;
import io.switchboard.protocol.PresenceStatsRequest;
import io.switchboard.protocol.PresenceStatsResult;
import io.vertx.core.Future;

/** {@code presence_stats}: client and distinct user counts of a channel. */
final class PresenceStatsCommand implements CommandHandler<PresenceStatsRequest, PresenceStatsResult> {
  @Override
  public Future<PresenceStatsResult> handle(Session s, PresenceStatsRequest q) {
    String channel = q.channel();
    NamespaceOptions ns = s.services.policy().resolve(channel);
    return s.services.core().presence().statsForClient(channel, ns, s.isSubscribed(channel))
        .map(st -> new PresenceStatsResult(st.numClients(), st.numUsers()));
  }
}
