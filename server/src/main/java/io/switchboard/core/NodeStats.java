package io.switchboard.core;

import io.switchboard.broker.Hub;
import io.switchboard.cluster.Peers;
import io.switchboard.ops.NodeStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts across the cluster (the server API's {@code channels} and {@code info}): each node answers from its
 * own counters and the asking node merges the answers.
 */
public final class NodeStats {
  private final Hub hub;
  private final Peers peers;
  private final NodeStatus status;

  public NodeStats(Hub hub, Peers peers, NodeStatus status) {
    this.hub = hub;
    this.peers = peers;
    this.status = status;
  }

  /** Subscribers per channel on every node, by channel name (sorted: stable answers). */
  public Future<Map<String, Integer>> channels() {
    Map<String, Integer> counts = new TreeMap<>(hub.channelCounts());
    return peers.ask(new JsonObject().put("q", "channels")).map(answers -> {
      for (JsonObject a : answers) {
        a.getJsonObject("channels").forEach(e -> counts.merge(e.getKey(), ((Number) e.getValue()).intValue(), Integer::sum));
      }
      return counts;
    });
  }

  /**
   * One entry per node, this one first: {@code {uid, name, version, num_clients, num_users, num_subs,
   * num_channels, uptime}} (uptime in seconds).
   */
  public Future<List<JsonObject>> nodes() {
    return peers.ask(new JsonObject().put("q", "info")).map(others -> {
      List<JsonObject> nodes = new ArrayList<>(others.size() + 1);
      nodes.add(self());
      nodes.addAll(others);
      return nodes;
    });
  }

  private JsonObject self() {
    int subs = hub.channelCounts().values().stream().mapToInt(Integer::intValue).sum();
    return new JsonObject()
        .put("uid", status.id())
        .put("name", status.name())
        .put("version", NodeStatus.VERSION)
        .put("num_clients", hub.numClients())
        .put("num_users", hub.numUsers())
        .put("num_subs", subs)
        .put("num_channels", hub.channels().size())
        .put("uptime", (System.currentTimeMillis() - status.startedAtMillis()) / 1000);
  }

  /** How this node answers the other nodes' {@code channels} and {@code info} questions. */
  public void install() {
    peers.answer("channels", q -> {
      JsonObject counts = new JsonObject();
      hub.channelCounts().forEach(counts::put);
      return Future.succeededFuture(new JsonObject().put("channels", counts));
    });
    peers.answer("info", q -> Future.succeededFuture(self()));
  }
}
