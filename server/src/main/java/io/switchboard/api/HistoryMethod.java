package io.switchboard.api;

import io.switchboard.channel.ChannelPolicy;
import io.switchboard.codec.json.JsonParams;
import io.switchboard.codec.json.JsonResults;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.core.HistoryQueries;
import io.switchboard.core.HistoryQuery;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code history {channel, limit?, since?, reverse?}}: {@code {publications, offset, epoch}}, with the same
 * paging rules as the client command (limit 0 = only the position, -1 = a full page); 108 without history.
 */
final class HistoryMethod implements ApiMethod {
  private final ChannelPolicy policy;
  private final HistoryQueries history;
  private final int maxLimit;

  /** {@code maxLimit}: the most publications a page holds ({@code client.history_max_limit}). */
  HistoryMethod(ChannelPolicy policy, HistoryQueries history, int maxLimit) {
    this.policy = policy;
    this.history = history;
    this.maxLimit = maxLimit;
  }

  @Override
  public Future<JsonObject> call(JsonObject p) {
    String channel = JsonParams.requiredString(p, "channel");
    NamespaceOptions ns = policy.resolve(channel);
    HistoryQueries.requireHistory(ns); // before the paging fields, as ever
    HistoryQuery q = JsonResults.historyQuery(p, maxLimit);
    return history.forServer(channel, ns, q).map(JsonResults::history);
  }
}
