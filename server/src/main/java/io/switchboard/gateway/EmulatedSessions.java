package io.switchboard.gateway;

import io.switchboard.cluster.Peers;
import io.switchboard.transport.EmulatedTransport;
import io.switchboard.transport.stream.EmulationRouter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's emulated sessions (HTTP-streaming and SSE) by session id, and the routing of emulation requests
 * to them. An emulation request may reach any node: for a session of this node, its commands go to the
 * session's stream on the session's event loop; for another node's, they go to that node over its one direct
 * event-bus address (the {@code emulation} query of {@link Peers#askNode}), which does the same there. No
 * sticky sessions, no consumer per session. Only emulated sessions are registered (by their loop's gateway),
 * from accept to close.
 */
public final class EmulatedSessions implements EmulationRouter {
  static final String QUERY = "emulation";

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final String nodeId;
  private final Peers peers;

  /** Also answers the other nodes' emulation requests for sessions of this node. */
  public EmulatedSessions(String nodeId, Peers peers) {
    this.nodeId = nodeId;
    this.peers = peers;
    peers.answer(QUERY, q -> deliverHere(q.getString("session", ""), q.getBinary("data"))
        .map(found -> new JsonObject().put("found", found))
        .recover(t -> t instanceof EmulationRouter.Busy
            ? Future.succeededFuture(new JsonObject().put("found", true).put("busy", true))
            : Future.failedFuture(t)));
  }

  void register(String session, Session s) {
    sessions.put(session, s);
  }

  void remove(String session) {
    sessions.remove(session);
  }

  /** Emulated sessions on this node. */
  public int size() {
    return sessions.size();
  }

  @Override
  public Future<Boolean> deliver(String node, String session, byte[] commands) {
    if (node == null || node.isEmpty() || node.equals(nodeId)) {
      return deliverHere(session, commands);
    }
    JsonObject q = new JsonObject().put("q", QUERY).put("session", session).put("data", commands);
    return peers.askNode(node, q).compose(answer -> answer.getBoolean("busy", false)
        ? Future.failedFuture(new EmulationRouter.Busy())
        : Future.succeededFuture(answer.getBoolean("found", false)));
  }

  /**
   * Whether the session is here, once its loop took the commands; fails with {@link EmulationRouter.Busy} when
   * the session's reading is paused (its unanswered commands at their bound). Any thread may call this; the
   * answer comes back on the caller's context.
   */
  private Future<Boolean> deliverHere(String session, byte[] commands) {
    Session s = sessions.get(session);
    if (s == null || commands == null || !(s.transport instanceof EmulatedTransport stream)) {
      return Future.succeededFuture(false);
    }
    Promise<Boolean> answer = Vertx.currentContext() instanceof ContextInternal caller
        ? caller.promise() : Promise.promise();
    s.gateway.context().runOnContext(v -> {
      if (s.commandsPaused()) {
        answer.fail(new EmulationRouter.Busy());
      } else {
        stream.receive(Buffer.buffer(commands));
        answer.complete(true);
      }
    });
    return answer.future();
  }
}
