package io.switchboard.gateway;

import io.switchboard.broker.LoopHub;
import io.switchboard.codec.ClientCodec;
import io.switchboard.protocol.DisconnectCode;
import io.switchboard.transport.Transport;
import io.switchboard.transport.TransportAcceptor;
import io.switchboard.transport.TurnFlusher;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The client front end of one event loop: a session for each connection that a transport accepted here, one
 * writer task per loop turn that flushes every session with queued output, and one sweep timer for pings,
 * pong deadlines, stale connects and expiry. One timer and one flush task per loop, not per connection.
 */
public final class GatewayLoop implements TransportAcceptor {
  private final GatewayServices services;
  private final Context context;
  /** The node's emulated sessions (HTTP-streaming, SSE), where this loop registers its own. */
  private final EmulatedSessions emulated;
  final LoopHub hub;
  private final Set<Session> sessions = new LinkedHashSet<>();
  private final TurnFlusher<Session> writer;

  /** As below, with a registry of emulated sessions of its own, not shared with other loops (tests). */
  public GatewayLoop(GatewayServices services, Context context) {
    this(services, context, new EmulatedSessions(services.status() == null ? "" : services.status().id(),
        io.switchboard.cluster.Peers.NONE));
  }

  /**
   * Starts the gateway of the event loop of {@code context}; call on that context (the sweep timer is its).
   * Its emulated sessions (HTTP-streaming, SSE) are registered in the node's {@code emulated}.
   */
  public GatewayLoop(GatewayServices services, Context context, EmulatedSessions emulated) {
    this.services = services;
    this.context = context;
    this.emulated = emulated;
    this.hub = services.hub().newLoop(context);
    this.writer = new TurnFlusher<>(context, Session::flush);
    context.owner().setPeriodic(1000, id -> sweep());
  }

  @Override
  public void accept(Transport transport, ClientCodec codec) {
    Session s = new Session(services, transport, codec, hub, this);
    sessions.add(s);
    if (transport.session() != null) {
      emulated.register(transport.session(), s);
    }
    s.start();
  }

  void removeSession(Session s) {
    sessions.remove(s);
    if (s.transport.session() != null) {
      emulated.remove(s.transport.session());
    }
  }

  /** The context of this loop: where each of its sessions runs. */
  Context context() {
    return context;
  }

  /** Sessions on this loop. */
  public int size() {
    return sessions.size();
  }

  List<Session> sessions() {
    return new ArrayList<>(sessions);
  }

  /** Called by a session on its first queued frame of this turn. */
  void markDirty(Session s) {
    writer.markDirty(s);
  }

  private void sweep() {
    long now = System.currentTimeMillis();
    for (Session s : sessions()) {
      s.tick(now);
    }
  }

  /**
   * Graceful drain of this loop's connections over {@code window} (SIGTERM): 3001 in jittered batches. New
   * connections are refused meanwhile by the listener, because the node is marked draining.
   */
  public Future<Void> drain(Duration window) {
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> Drain.run(context.owner(), sessions(), window).onComplete(p));
    return p.future();
  }

  /**
   * Closes every session at once with 3001 (clients reconnect elsewhere) and leaves the hub. Completes when
   * the close frames are written, or after 3 s. Call on this loop, before its listener closes.
   */
  public Future<Void> shutdown() {
    List<Future<Void>> closing = new ArrayList<>();
    for (Session s : sessions()) {
      closing.add(s.disconnect(DisconnectCode.SHUTDOWN));
    }
    services.hub().removeLoop(hub);
    Promise<Void> bounded = Promise.promise();
    Future.join(closing).onComplete(ar -> bounded.tryComplete());
    context.owner().setTimer(3000, id -> bounded.tryComplete());
    return bounded.future();
  }
}
