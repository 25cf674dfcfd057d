package io.switchboard.api;

import io.switchboard.core.NodeStats;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code info}: {@code {nodes:[{uid, name, version, num_clients, num_users, num_subs, num_channels, uptime}]}}.
 * One entry per node of the cluster; uptime is in seconds.
 */
final class InfoMethod implements ApiMethod {
  private final NodeStats stats;

  InfoMethod(NodeStats stats) {
    this.stats = stats;
  }

  @Override
  public Future<JsonObject> call(JsonObject p) {
    return stats.nodes().map(nodes -> new JsonObject().put("nodes", new JsonArray(new java.util.ArrayList<>(nodes))));
  }
}
