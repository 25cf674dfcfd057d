package io.switchboard.api;

import io.switchboard.Node;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code presence_stats {channel}}: {@code {num_clients, num_users}}; 108 when the namespace keeps no presence. */
final class PresenceStatsMethod implements ApiMethod {

  @Override
  public Future<JsonObject> call(Node node, JsonObject p) {
    String channel = PresenceMethod.presenceChannel(node, p);
    return node.presence.stats(channel).map(st ->
        new JsonObject().put("num_clients", st.numClients()).put("num_users", st.numUsers()));
  }
}
