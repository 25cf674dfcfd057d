package io.switchboard.gateway;

import io.switchboard.config.NamespaceOptions;
import io.switchboard.core.HistoryQuery;
import io.switchboard.protocol.HistoryRequest;
import io.switchboard.protocol.HistoryResult;
import io.vertx.core.Future;

/**
 * {@code history}: a page of a channel's stream from PostgreSQL. {@code limit} 0 returns only the position,
 * -1 the most a page may hold; {@code since} continues after (or, reversed, before) a known offset.
 */
final class HistoryCommand implements CommandHandler<HistoryRequest, HistoryResult> {
  @Override
  public Future<HistoryResult> handle(Session s, HistoryRequest q) {
    String channel = q.channel();
    NamespaceOptions ns = s.services.policy().resolve(channel);
    // The query's values are checked after the channel, so an unknown channel is told first.
    int cap = s.services.limits().historyMaxLimit();
    HistoryQuery query = q.since() == null ? HistoryQuery.of(q.limit(), q.reverse(), false, 0, null, cap)
        : HistoryQuery.of(q.limit(), q.reverse(), true, q.since().offset(), q.since().epoch(), cap);
    return s.services.core().history().forClient(channel, ns, query, s.isSubscribed(channel))
        .map(page -> new HistoryResult(page.publications(), page.top().epoch(), page.top().offset()));
  }
}
