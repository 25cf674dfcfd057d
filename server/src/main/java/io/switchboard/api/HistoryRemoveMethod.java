package io.switchboard.api;

import io.switchboard.channel.ChannelPolicy;
import io.switchboard.codec.json.JsonParams;
import io.switchboard.core.HistoryQueries;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code history_remove {channel}}: deletes the stored publications but keeps the stream's offset and epoch,
 * so the next publication continues at top+1 and clients' positions stay valid (they just find nothing).
 */
final class HistoryRemoveMethod implements ApiMethod {
  private final ChannelPolicy policy;
  private final HistoryQueries history;

  HistoryRemoveMethod(ChannelPolicy policy, HistoryQueries history) {
    this.policy = policy;
    this.history = history;
  }

  @Override
  public Future<JsonObject> call(JsonObject p) {
    String channel = JsonParams.requiredString(p, "channel");
    return history.remove(channel, policy.resolve(channel)).map(v -> new JsonObject());
  }
}
