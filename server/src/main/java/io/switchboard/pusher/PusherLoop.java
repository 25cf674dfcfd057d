package io.switchboard.pusher;

import io.switchboard.broker.LoopHub;
import io.switchboard.transport.OriginCheck;
import io.switchboard.transport.TurnFlusher;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Pusher front end of one event loop, beside that loop's Centrifugo gateway: the WebSocket endpoint
 * {@code /app/{key}}, its sessions, their subscriptions in a {@link LoopHub} of this loop, and one sweep timer
 * for the activity timeout (not one timer per connection).
 */
public final class PusherLoop {
  static final String PATH_PREFIX = "/app/";

  final PusherServices services;
  final PusherApps apps;
  final PusherChannels channels;
  final Context context;
  final LoopHub hub;
  private final OriginCheck origins;
  private final Set<PusherSession> sessions = new LinkedHashSet<>();
  /** Flushes the sessions with output queued this turn, by one task at its end (as the Centrifugo gateway does). */
  private final TurnFlusher<PusherSession> writer;

  /** Call on the loop's context. */
  public PusherLoop(PusherServices services, Context context, OriginCheck origins) {
    this.services = services;
    this.apps = services.apps();
    this.channels = new PusherChannels(services.core().policy());
    this.context = context;
    this.origins = origins;
    this.hub = services.hub().newLoop(context);
    this.writer = new TurnFlusher<>(context, PusherSession::flush);
    context.owner().setPeriodic(1000, id -> sweep());
  }

  /** Whether an upgrade request for {@code path} is a Pusher client's. */
  public static boolean serves(String path) {
    return path.startsWith(PATH_PREFIX) && path.length() > PATH_PREFIX.length();
  }

  /** Accepts the upgrade unless the browser Origin is not allowed; an unknown key is told after it (4001). */
  public void handshake(ServerWebSocketHandshake hs) {
    if (!origins.allows(hs.headers().get("Origin"), hs.headers().get("Host"))) {
      hs.reject(403);
    } else {
      hs.accept();
    }
  }

  /** Starts a session on an accepted socket, on this loop. */
  public void accept(ServerWebSocket ws) {
    String key = ws.path().substring(PATH_PREFIX.length());
    PusherSession s = new PusherSession(this, ws, apps.byKey(key));
    sessions.add(s);
    s.start();
  }

  void markDirty(PusherSession s) {
    writer.markDirty(s);
  }

  void removeSession(PusherSession s) {
    sessions.remove(s);
  }

  public int size() {
    return sessions.size();
  }

  private void sweep() {
    long now = System.currentTimeMillis();
    for (PusherSession s : new ArrayList<>(sessions)) {
      s.tick(now);
    }
  }

  /**
   * Graceful drain over {@code window} (SIGTERM): the sessions are closed with 4200 (pusher-js reconnects at
   * once, to another node behind the load balancer) in batches spread over the window, not all at once.
   */
  public Future<Void> drain(java.time.Duration window) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      List<PusherSession> all = new ArrayList<>(sessions);
      int batches = (int) Math.max(1, Math.min(all.size(), window.toMillis() / 100));
      int perBatch = (all.size() + batches - 1) / Math.max(1, batches);
      for (int b = 0; b < batches; b++) {
        List<PusherSession> batch = all.subList(Math.min(all.size(), b * perBatch),
            Math.min(all.size(), (b + 1) * perBatch));
        Runnable close = () -> batch.forEach(s -> s.close(PusherErrors.RECONNECT, "server shutting down"));
        if (b == 0) {
          close.run();
        } else {
          context.owner().setTimer(b * window.toMillis() / batches, id -> close.run());
        }
      }
      context.owner().setTimer(Math.max(1, window.toMillis()), id -> done.tryComplete());
    });
    return done.future();
  }

  /** Closes every session with 4200 (clients reconnect, elsewhere if this node goes) and leaves the hub. */
  public Future<Void> shutdown() {
    List<Future<Void>> closing = new ArrayList<>();
    for (PusherSession s : new ArrayList<>(sessions)) {
      closing.add(s.close(PusherErrors.RECONNECT, "server shutting down"));
    }
    services.hub().removeLoop(hub);
    Promise<Void> bounded = Promise.promise();
    Future.join(closing).onComplete(ar -> bounded.tryComplete());
    context.owner().setTimer(3000, id -> bounded.tryComplete());
    return bounded.future();
  }
}
