package io.switchboard.cluster;

import io.switchboard.broker.JoinLeave;
import io.switchboard.model.ClientInfo;
import io.switchboard.presence.LocalPresence;
import io.switchboard.presence.PresenceRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;

/**
 * Cluster-wide presence. Each node owns the entries of its own connections and keeps a mirror of every
 * other node's, so presence queries are answered locally. Changes travel in batches (every
 * {@link #FLUSH_MS} ms, one broadcast for all of them), never one Hazelcast write per connection. A new node
 * asks the others for snapshots. When Hazelcast declares a node dead, every survivor drops that node's
 * mirror and pushes the leaves to its own subscribers only, so each subscriber hears each leave once.
 */
public final class ClusterPresence implements PresenceRegistry {
  public static final long FLUSH_MS = 100;

  private final LocalPresence local = new LocalPresence();
  /** nodeId -> channel -> clientId -> info. */
  private final Map<String, Map<String, Map<String, ClientInfo>>> remote = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<JsonObject> pending = new ConcurrentLinkedQueue<>();
  private final NodeBus bus;
  private final BiConsumer<String, ClientInfo> leaveOnDeadNode;
  private final java.util.function.Predicate<String> carriedByJoinLeave;

  /**
   * {@code leaveOnDeadNode} pushes a leave for (channel, client) to this node's own subscribers.
   * {@code carriedByJoinLeave} tells the channels whose join/leave pushes already cross the cluster: their
   * presence changes ride on those (same message, same order), so a subscriber that saw a join always sees
   * the matching leave, even when the node dies a moment after the join.
   */
  public ClusterPresence(Vertx vertx, NodeBus bus, BiConsumer<String, ClientInfo> leaveOnDeadNode,
      java.util.function.Predicate<String> carriedByJoinLeave) {
    this.bus = bus;
    this.leaveOnDeadNode = leaveOnDeadNode;
    this.carriedByJoinLeave = carriedByJoinLeave;
    vertx.setPeriodic(FLUSH_MS, id -> flush());
  }

  @Override
  public void add(String channel, ClientInfo info) {
    local.add(channel, info);
    if (!carriedByJoinLeave.test(channel)) {
      pending.add(new JsonObject().put("c", channel).put("a", info.toJson()));
    }
  }

  @Override
  public void remove(String channel, String clientId) {
    local.remove(channel, clientId);
    if (!carriedByJoinLeave.test(channel)) {
      pending.add(new JsonObject().put("c", channel).put("r", clientId));
    }
  }

  /** Sends what is pending now (before the node leaves). */
  public void flushNow() {
    flush();
  }

  private void flush() {
    if (pending.isEmpty()) {
      return;
    }
    JsonArray batch = new JsonArray();
    JsonObject d;
    while ((d = pending.poll()) != null && batch.size() < 10_000) {
      batch.add(d);
    }
    bus.broadcast(new JsonObject().put("t", "pres").put("d", batch));
  }

  /** Applies another node's batch of changes, in order. */
  void onChanges(String node, JsonArray changes) {
    Map<String, Map<String, ClientInfo>> mirror = mirror(node);
    for (Object o : changes) {
      JsonObject c = (JsonObject) o;
      String channel = c.getString("c");
      if (c.containsKey("a")) {
        added(mirror, channel, ClientInfo.fromJson(c.getJsonObject("a")));
      } else {
        removed(mirror, channel, c.getString("r"));
      }
    }
  }

  /** A join or leave another node sent: the same change for its mirror. */
  void onJoinLeave(String node, JoinLeave event) {
    if (event.join()) {
      added(mirror(node), event.channel(), event.info());
    } else {
      removed(mirror(node), event.channel(), event.info().client());
    }
  }

  private Map<String, Map<String, ClientInfo>> mirror(String node) {
    return remote.computeIfAbsent(node, k -> new ConcurrentHashMap<>());
  }

  private static void added(Map<String, Map<String, ClientInfo>> mirror, String channel, ClientInfo info) {
    mirror.computeIfAbsent(channel, k -> new ConcurrentHashMap<>()).put(info.client(), info);
  }

  private static void removed(Map<String, Map<String, ClientInfo>> mirror, String channel, String clientId) {
    mirror.computeIfPresent(channel, (k, m) -> {
      m.remove(clientId);
      return m.isEmpty() ? null : m;
    });
  }

  /** This node's entries, for a node that asked for a snapshot. */
  JsonArray snapshot() {
    JsonArray out = new JsonArray();
    local.forEach((channel, info) -> out.add(new JsonObject().put("c", channel).put("a", info.toJson())));
    return out;
  }

  /** A node left the cluster (crashed or shut down): its entries go, with leave pushes for ours. */
  void nodeLeft(String node) {
    Map<String, Map<String, ClientInfo>> gone = remote.remove(node);
    if (gone == null) {
      return;
    }
    gone.forEach((channel, clients) -> clients.values().forEach(info -> leaveOnDeadNode.accept(channel, info)));
  }

  @Override
  public Future<Map<String, ClientInfo>> get(String channel) {
    Map<String, ClientInfo> all = new HashMap<>(local.getNow(channel));
    for (Map<String, Map<String, ClientInfo>> mirror : remote.values()) {
      Map<String, ClientInfo> m = mirror.get(channel);
      if (m != null) {
        all.putAll(m);
      }
    }
    return Future.succeededFuture(all);
  }

  @Override
  public Future<Stats> stats(String channel) {
    return get(channel).map(m -> {
      Set<String> users = new HashSet<>();
      m.values().forEach(i -> users.add(i.user()));
      return new Stats(m.size(), users.size());
    });
  }

  List<String> knownNodes() {
    return List.copyOf(remote.keySet());
  }
}
