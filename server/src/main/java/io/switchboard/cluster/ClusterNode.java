package io.switchboard.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.switchboard.broker.JoinLeave;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's membership in the cluster: routes what other nodes send (publications, joins and leaves,
 * presence changes and snapshots, user actions, queries) to the local parts, and reacts to Hazelcast
 * membership changes.
 */
public final class ClusterNode implements Peers {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
  private static final String VERTX_NODE_ID = "__vertx.nodeId";

  private final Vertx vertx;
  private final HazelcastClusterManager manager;
  private final NodeBus bus;
  private ClusterDispatch dispatch;
  private ClusterPresence presence;
  private final Map<String, Function<JsonObject, Future<JsonObject>>> answers = new ConcurrentHashMap<>();
  private volatile Consumer<JsonObject> told = a -> {};
  private final List<Consumer<String>> nodeLeft = new java.util.concurrent.CopyOnWriteArrayList<>();

  public ClusterNode(Vertx vertx, HazelcastClusterManager manager) {
    this.vertx = vertx;
    this.manager = manager;
    this.bus = new NodeBus(vertx, manager);
  }

  /** Also tells {@code handler} the Vert.x node id of each node that leaves the cluster (webhooks). */
  public void onNodeLeft(Consumer<String> handler) {
    nodeLeft.add(handler);
  }

  public NodeBus bus() {
    return bus;
  }

  public String nodeId() {
    return bus.nodeId();
  }

  /** Starts listening once the local parts exist, then asks the others for their presence. */
  public Future<Void> start(ClusterDispatch dispatch, ClusterPresence presence) {
    this.dispatch = dispatch;
    this.presence = presence;
    manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent e) {
        String node = e.getMember().getAttribute(VERTX_NODE_ID);
        LOG.info("cluster: node {} joined", node);
        // A node that starts asks everyone for presence itself ("hello"); this covers two halves of a split
        // brain merging again, where nobody starts. If the node isn't listening yet, its hello covers it.
        if (node != null) {
          vertx.runOnContext(v -> bus.sendTo(node, new JsonObject().put("t", "snap").put("d", presence.snapshot())));
        }
      }

      @Override
      public void memberRemoved(MembershipEvent e) {
        // Vert.x node ids are not Hazelcast member UUIDs; Vert.x keeps its id as a member attribute.
        String node = e.getMember().getAttribute(VERTX_NODE_ID);
        if (node == null) {
          return;
        }
        LOG.info("cluster: node {} left; clearing its presence", node);
        vertx.runOnContext(v -> presence.nodeLeft(node));
        nodeLeft.forEach(h -> h.accept(node));
      }
    });
    return bus.start(this::onBroadcast, this::onDirect)
        .onSuccess(v -> bus.broadcast(new JsonObject().put("t", "hello")));
  }

  private void onBroadcast(JsonObject m) {
    switch (m.getString("t", "")) {
      case "pubs" -> dispatch.onPublications(m);
      case "bulk" -> dispatch.onBulk(m);
      case "jl" -> {
        JoinLeave event = ClusterDispatch.joinLeaveOf(m);
        if (event != null) {
          presence.onJoinLeave(m.getString("from"), event);
          dispatch.onJoinLeave(event);
        }
      }
      case "pres" -> presence.onChanges(m.getString("from"), m.getJsonArray("d"));
      case "hello" -> bus.sendTo(m.getString("from"), new JsonObject().put("t", "snap").put("d", presence.snapshot()));
      case "told" -> told.accept(m.getJsonObject("a"));
      default -> LOG.warn("cluster: unknown broadcast type {}", m.getString("t"));
    }
  }

  private Future<JsonObject> onDirect(JsonObject m) {
    switch (m.getString("t", "")) {
      case "snap" -> {
        presence.onChanges(m.getString("from"), m.getJsonArray("d"));
        return Future.succeededFuture(new JsonObject());
      }
      case "ask" -> {
        JsonObject q = m.getJsonObject("q");
        var handler = answers.get(q.getString("q", ""));
        return handler == null ? Future.failedFuture("no answer for " + q.getString("q")) : handler.apply(q);
      }
      default -> {
        return Future.failedFuture("unknown message type " + m.getString("t"));
      }
    }
  }

  @Override
  public Future<List<JsonObject>> ask(JsonObject query) {
    return bus.askOthers(new JsonObject().put("t", "ask").put("q", query));
  }

  @Override
  public Future<JsonObject> askNode(String node, JsonObject query) {
    if (!bus.members().contains(node)) {
      return Future.failedFuture(new java.util.NoSuchElementException("no node " + node));
    }
    return bus.request(node, new JsonObject().put("t", "ask").put("q", query));
  }

  @Override
  public void tell(JsonObject action) {
    bus.broadcast(new JsonObject().put("t", "told").put("a", action));
  }

  @Override
  public void answer(String name, Function<JsonObject, Future<JsonObject>> handler) {
    answers.put(name, handler);
  }

  @Override
  public void onTold(Consumer<JsonObject> handler) {
    told = handler;
  }
}
