package io.switchboard.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Node-to-node messaging over the clustered event bus. Each node registers exactly two clustered consumers
 * at start: {@value #ALL}, reached by {@link #broadcast}, and its own {@code switchboard.node.<id>} for
 * requests to one node. Nothing registers per connection or per channel: each registration is a Hazelcast
 * write, and per-connection registrations collapse under connection storms.
 */
public final class NodeBus {
  static final String ALL = "switchboard.nodes";
  static final long REQUEST_TIMEOUT_MS = 3000;

  private final Vertx vertx;
  private final HazelcastClusterManager manager;
  private final String nodeId;

  public NodeBus(Vertx vertx, HazelcastClusterManager manager) {
    this.vertx = vertx;
    this.manager = manager;
    this.nodeId = manager.getNodeId();
  }

  public String nodeId() {
    return nodeId;
  }

  static String direct(String nodeId) {
    return "switchboard.node." + nodeId;
  }

  /**
   * Registers the two consumers. Broadcasts from this node itself are skipped; requests are answered with
   * whatever {@code onRequest} yields.
   */
  public Future<Void> start(Consumer<JsonObject> onBroadcast, Function<JsonObject, Future<JsonObject>> onRequest) {
    var all = vertx.eventBus().<JsonObject>consumer(ALL, m -> {
      JsonObject body = m.body();
      if (!nodeId.equals(body.getString("from"))) {
        onBroadcast.accept(body);
      }
    });
    var mine = vertx.eventBus().<JsonObject>consumer(direct(nodeId), (Message<JsonObject> m) ->
        onRequest.apply(m.body()).onComplete(ar -> {
          if (ar.succeeded()) {
            m.reply(ar.result());
          } else {
            m.fail(500, String.valueOf(ar.cause().getMessage()));
          }
        }));
    return Future.all(all.completion(), mine.completion()).mapEmpty();
  }

  /** Sends to every other node (one event-bus publish). */
  public void broadcast(JsonObject msg) {
    vertx.eventBus().publish(ALL, msg.put("from", nodeId));
  }

  /** Asks every other node and collects the answers that came back in time. */
  public Future<List<JsonObject>> askOthers(JsonObject request) {
    List<Future<JsonObject>> answers = new ArrayList<>();
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT_MS);
    for (String other : manager.getNodes()) {
      if (!other.equals(nodeId)) {
        answers.add(vertx.eventBus().<JsonObject>request(direct(other), request.copy().put("from", nodeId), opts)
            .map(Message::body));
      }
    }
    return Future.join(answers).transform(ar -> {
      List<JsonObject> out = new ArrayList<>();
      for (Future<JsonObject> f : answers) {
        if (f.succeeded()) {
          out.add(f.result());
        }
      }
      return Future.succeededFuture(out);
    });
  }

  /** Asks one node (its direct address), answered within the request timeout. */
  public Future<JsonObject> request(String node, JsonObject msg) {
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT_MS);
    return vertx.eventBus().<JsonObject>request(direct(node), msg.put("from", nodeId), opts).map(Message::body);
  }

  /** Sends one message to one node, fire and forget. */
  public void sendTo(String node, JsonObject msg) {
    vertx.eventBus().send(direct(node), msg.put("from", nodeId));
  }

  public List<String> members() {
    return manager.getNodes();
  }
}
