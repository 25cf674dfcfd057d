package io.switchboard.api;

import io.switchboard.Node;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code info}: {@code {nodes:[{uid, name, version, num_clients, num_users, num_subs, num_channels, uptime}]}}.
 * One entry per node of the cluster; uptime is in seconds.
 */
final class InfoMethod implements ApiMethod {

  @Override
  public Future<JsonObject> call(Node node, JsonObject p) {
    return node.peers.ask(new JsonObject().put("q", "info")).map(others -> {
      JsonArray nodes = new JsonArray().add(self(node));
      others.forEach(nodes::add);
      return new JsonObject().put("nodes", nodes);
    });
  }

  /** This node's entry. */
  static JsonObject self(Node node) {
    int subs = node.hub.channelCounts().values().stream().mapToInt(Integer::intValue).sum();
    return new JsonObject()
        .put("uid", node.id)
        .put("name", node.config.nodeName())
        .put("version", Node.VERSION)
        .put("num_clients", node.hub.numClients())
        .put("num_users", node.hub.numUsers())
        .put("num_subs", subs)
        .put("num_channels", node.hub.channels().size())
        .put("uptime", (System.currentTimeMillis() - node.startedAtMillis) / 1000);
  }
}
