package io.switchboard.gateway;

import io.switchboard.config.NamespaceOptions;
import io.switchboard.protocol.PublishRequest;
import io.switchboard.protocol.PublishResult;
import io.vertx.core.Future;

/** {@code publish}: answered with {@code {}} only after a durable publication is committed. */
final class PublishCommand implements CommandHandler<PublishRequest, PublishResult> {
  @Override
  public Future<PublishResult> handle(Session s, PublishRequest q) {
    String channel = q.channel();
    NamespaceOptions ns = s.services.policy().resolve(channel);
    s.checkSpeaks(ns);
    Session.ActiveSub a = s.subs.get(channel);
    String chanInfo = a == null ? null : a.sub().chanInfo;
    return s.services.core().publishing().byClient(channel, ns, q.data(), s.codec.binary(), s.clientInfo(chanInfo),
            s.isSubscribed(channel), s.proxy == null ? null : ProxyCalls.context(s))
        .map(r -> PublishResult.INSTANCE);
  }
}
