package io.switchboard.gateway;

import io.switchboard.config.NamespaceOptions;
import io.switchboard.protocol.PresenceRequest;
import io.switchboard.protocol.PresenceResult;
import io.vertx.core.Future;

/** {@code presence}: the clients in a channel, across the deployment. */
final class PresenceCommand implements CommandHandler<PresenceRequest, PresenceResult> {
  @Override
  public Future<PresenceResult> handle(Session s, PresenceRequest q) {
    String channel = q.channel();
    NamespaceOptions ns = s.services.policy().resolve(channel);
    return s.services.core().presence().forClient(channel, ns, s.isSubscribed(channel)).map(PresenceResult::new);
  }
}
