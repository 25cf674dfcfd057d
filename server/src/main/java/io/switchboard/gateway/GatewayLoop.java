package io.switchboard.gateway;

import io.switchboard.broker.LoopHub;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Per-event-loop bookkeeping of the gateway: the loop's sessions, one writer task per loop turn that flushes
 * every session with queued output, and one sweep timer for pings, pong deadlines, stale connects and
 * expiry. One timer and one flush task per loop, not per connection.
 */
final class GatewayLoop {
  private final Context context;
  final LoopHub hub;
  private final Set<Session> sessions = new LinkedHashSet<>();
  private List<Session> dirty = new ArrayList<>();
  private boolean flushScheduled;

  GatewayLoop(Context context, LoopHub hub) {
    this.context = context;
    this.hub = hub;
  }

  void addSession(Session s) {
    sessions.add(s);
  }

  void removeSession(Session s) {
    sessions.remove(s);
  }

  int size() {
    return sessions.size();
  }

  List<Session> sessions() {
    return new ArrayList<>(sessions);
  }

  /** Called by a session on its first queued frame of this turn. */
  void markDirty(Session s) {
    dirty.add(s);
    if (!flushScheduled) {
      flushScheduled = true;
      context.runOnContext(v -> flushAll());
    }
  }

  private void flushAll() {
    flushScheduled = false;
    List<Session> batch = dirty;
    dirty = new ArrayList<>(Math.max(16, batch.size()));
    for (int i = 0, n = batch.size(); i < n; i++) {
      batch.get(i).flush();
    }
  }

  void sweep() {
    long now = System.currentTimeMillis();
    for (Session s : sessions()) {
      s.tick(now);
    }
  }
}
