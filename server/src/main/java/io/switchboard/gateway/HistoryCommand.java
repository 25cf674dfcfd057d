package io.switchboard.gateway;

import io.switchboard.codec.json.JsonParams;
import io.switchboard.codec.json.JsonResults;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.core.HistoryQuery;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code history}: a page of a channel's stream from PostgreSQL. {@code limit} 0 returns only the position,
 * -1 the most a page may hold; {@code since} continues after (or, reversed, before) a known offset.
 */
final class HistoryCommand implements CommandHandler {
  @Override
  public Future<JsonObject> handle(Session s, JsonObject p) {
    String channel = JsonParams.requiredString(p, "channel");
    NamespaceOptions ns = s.services.policy().resolve(channel);
    HistoryQuery q = JsonResults.historyQuery(p, s.services.limits().historyMaxLimit());
    return s.services.core().history().forClient(channel, ns, q, s.isSubscribed(channel)).map(JsonResults::history);
  }
}
