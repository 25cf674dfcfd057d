package io.switchboard.broker;

import io.switchboard.config.NamespaceOptions;
import io.switchboard.history.HistoryStore;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The subscribers of one event loop. Each gateway verticle instance owns one, and every method runs on
 * that verticle's event loop: the hub hands it each publication once, and it gives each local subscriber the
 * frame of its codec, encoded once.
 */
public final class LoopHub {
  private final Hub hub;
  private final Context context;
  private final HistoryStore history;
  private final int window;
  private final int recoveryMax;
  private final Map<String, LoopChannel> channels = new HashMap<>();
  /**
   * A user's sessions on this loop: almost always one, kept as itself; a {@code List<Subscriber>} from the
   * second on (a list per user would cost 40 bytes for each idle connection).
   */
  private final Map<String, Object> byUser = new HashMap<>();
  private final PositionBatcher positions;

  LoopHub(Hub hub, Context context, HistoryStore history, int window, int recoveryMax) {
    this.hub = hub;
    this.context = context;
    this.history = history;
    this.window = window;
    this.recoveryMax = recoveryMax;
    this.positions = new PositionBatcher(context, history);
  }

  /** A stream's position, looked up together with the others asked for in this loop turn. */
  io.vertx.core.Future<io.switchboard.model.StreamPosition> position(String channel) {
    return positions.position(channel);
  }

  public Context context() {
    return context;
  }

  Vertx vertx() {
    return context.owner();
  }

  HistoryStore history() {
    return history;
  }

  /** Publications a channel keeps in memory for recoveries. */
  int window() {
    return window;
  }

  /** The most publications a subscribe may recover. */
  int recoveryMax() {
    return recoveryMax;
  }

  io.switchboard.ops.Metrics metrics() {
    return hub.metrics();
  }

  /** Registers a connected session, for user-directed actions (API disconnect, read sync). */
  public void addClient(Subscriber s) {
    Object sessions = byUser.get(s.user());
    if (!registered(sessions, s)) {
      byUser.put(s.user(), sessions == null ? s : withClient(sessions, s));
      hub.clientAdded(s.user());
    }
  }

  public void removeClient(Subscriber s) {
    Object sessions = byUser.get(s.user());
    if (registered(sessions, s)) {
      Object rest = withoutClient(sessions, s);
      if (rest == null) {
        byUser.remove(s.user());
      } else {
        byUser.put(s.user(), rest);
      }
      hub.clientRemoved(s.user());
    }
  }

  /**
   * Whether {@code s} is among a user's {@code sessions}: this map is the only registry of the loop's connected
   * sessions (a second set of them would cost 40 bytes more per connection), so it guards against adding or
   * removing one twice.
   */
  private static boolean registered(Object sessions, Subscriber s) {
    return sessions == s || sessions instanceof List<?> list && list.contains(s);
  }

  private static Object withClient(Object sessions, Subscriber added) {
    List<Subscriber> list = sessions instanceof Subscriber one ? new ArrayList<>(List.of(one)) : listOf(sessions);
    list.add(added);
    return list;
  }

  /** The user's sessions without {@code s}: null (no entry) when none is left, the one left, or the list. */
  private static Object withoutClient(Object sessions, Subscriber s) {
    if (sessions instanceof Subscriber one) {
      return one == s ? null : one;
    }
    List<Subscriber> list = listOf(sessions);
    list.remove(s);
    return list.isEmpty() ? null : list.size() == 1 ? list.get(0) : list;
  }

  @SuppressWarnings("unchecked")
  private static List<Subscriber> listOf(Object sessions) {
    return (List<Subscriber>) sessions;
  }

  /** The sessions of a user on this loop (a copy: callers may disconnect them while iterating). */
  public List<Subscriber> clientsOf(String user) {
    Object v = byUser.get(user);
    if (v == null) {
      return List.of();
    }
    return v instanceof Subscriber one ? List.of(one) : new ArrayList<>(listOf(v));
  }

  /**
   * Subscribes and calls {@code done} on this loop, after which the subscription is live. The reply must be
   * written inside {@code done}, before returning, so that it precedes every push.
   */
  public void subscribe(Subscription sub, NamespaceOptions ns, RecoveryRequest req, Handler<SubscribeOutcome> done) {
    LoopChannel ch = channels.get(sub.channel);
    if (ch == null) {
      ch = new LoopChannel(sub.channel, ns.history(), this);
      channels.put(sub.channel, ch);
      hub.interest(sub.channel, this, true);
    }
    hub.subscriberAdded(sub.channel);
    ch.subscribe(sub, req, done);
  }

  public void unsubscribe(Subscription sub) {
    if (sub.removed) {
      return;
    }
    sub.removed = true;
    sub.live = false;
    hub.subscriberRemoved(sub.channel);
    LoopChannel ch = channels.get(sub.channel);
    if (ch == null) {
      return;
    }
    ch.remove(sub);
    if (ch.empty()) {
      ch.close();
      channels.remove(sub.channel);
      hub.interest(sub.channel, this, false);
    }
  }

  /** Drops channel state whose first sync failed, so the next subscriber retries. */
  void forget(LoopChannel ch) {
    if (channels.get(ch.channel) == ch) {
      channels.remove(ch.channel);
      hub.interest(ch.channel, this, false);
    }
  }

  void onDeliveries(String channel, List<Delivery> deliveries) {
    LoopChannel ch = channels.get(channel);
    if (ch != null) {
      ch.onDeliveries(deliveries);
    }
  }

  void onJoinLeave(String channel, JoinLeave.Encoded frames) {
    LoopChannel ch = channels.get(channel);
    if (ch != null) {
      ch.onJoinLeave(frames);
    }
  }

  /** Runs an action for each session of a user on this loop. */
  public void forUser(String user, Consumer<Subscriber> action) {
    clientsOf(user).forEach(action);
  }
}
