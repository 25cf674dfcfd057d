package io.switchboard.gateway;

import io.switchboard.cluster.Peers;
import io.switchboard.transport.EmulatedTransport;
import io.switchboard.transport.stream.EmulationRouter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
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
    peers.answer(QUERY, q -> Future.succeededFuture(
        new JsonObject().put("found", deliverHere(q.getString("session", ""), q.getBinary("data")))));
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
      return Future.succeededFuture(deliverHere(session, commands));
    }
    JsonObject q = new JsonObject().put("q", QUERY).put("session", session).put("data", commands);
    return peers.askNode(node, q).map(answer -> answer.getBoolean("found", false));
  }

  /** Whether the session is here; if so its commands are on their way to it (any thread may call this). */
  private boolean deliverHere(String session, byte[] commands) {
    Session s = sessions.get(session);
    if (s == null || commands == null || !(s.transport instanceof EmulatedTransport stream)) {
      return false;
    }
    s.gateway.context().runOnContext(v -> stream.receive(Buffer.buffer(commands)));
    return true;
  }
}
