package io.switchboard.cluster;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The other nodes, as the rest of the server sees them: ask them all a question (API {@code channels},
 * {@code info}), or tell them all about a user action (API disconnect, subscribe, ...; read-marker sync).
 * A single node has no peers: {@link #NONE}.
 */
public interface Peers {

  /** The answers of every other node to {@code query} (a JSON object with a {@code q} name). */
  Future<List<JsonObject>> ask(JsonObject query);

  /**
   * The answer of one node to {@code query}, within the request timeout. Fails with a
   * {@link java.util.NoSuchElementException} when {@code node} is not a member of the cluster.
   */
  Future<JsonObject> askNode(String node, JsonObject query);

  /** Tells every other node; each applies it to its own connections. */
  void tell(JsonObject action);

  /** How this node answers a query named {@code name} from another node. */
  void answer(String name, Function<JsonObject, Future<JsonObject>> handler);

  /** What this node does with an action another node told. */
  void onTold(Consumer<JsonObject> handler);

  Peers NONE = new Peers() {
    @Override
    public Future<List<JsonObject>> ask(JsonObject query) {
      return Future.succeededFuture(List.of());
    }

    @Override
    public Future<JsonObject> askNode(String node, JsonObject query) {
      return Future.failedFuture(new java.util.NoSuchElementException("no node " + node));
    }

    @Override
    public void tell(JsonObject action) {}

    @Override
    public void answer(String name, Function<JsonObject, Future<JsonObject>> handler) {}

    @Override
    public void onTold(Consumer<JsonObject> handler) {}
  };
}
