package io.switchboard.api;

import io.switchboard.Node;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * What this node tells other nodes that ask for cluster-wide API answers ({@code channels}, {@code info}).
 * Both come from this node's own counters; the asking node merges every answer.
 */
public final class ClusterAnswers {
  private ClusterAnswers() {}

  public static void install(Node node) {
    node.peers.answer("channels", q -> {
      JsonObject counts = new JsonObject();
      node.hub.channelCounts().forEach(counts::put);
      return Future.succeededFuture(new JsonObject().put("channels", counts));
    });
    node.peers.answer("info", q -> Future.succeededFuture(InfoMethod.self(node)));
  }
}
