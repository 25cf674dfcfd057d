package io.switchboard.api;

import io.switchboard.Node;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code history_remove {channel}}: deletes the stored publications but keeps the stream's offset and epoch,
 * so the next publication continues at top+1 and clients' positions stay valid (they just find nothing).
 */
final class HistoryRemoveMethod implements ApiMethod {

  @Override
  public Future<JsonObject> call(Node node, JsonObject p) {
    String channel = HistoryMethod.historyChannel(node, p);
    return node.history.removeHistory(channel).map(v -> new JsonObject());
  }
}
