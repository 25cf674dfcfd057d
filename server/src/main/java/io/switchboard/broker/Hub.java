package io.switchboard.broker;

import io.switchboard.history.HistoryStore;
import io.switchboard.model.Publication;
import io.switchboard.ops.Metrics;
import io.switchboard.presence.OccupancyListener;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The node's subscribers, as one {@link LoopHub} per event loop. A publication reaching this node becomes one
 * {@link Delivery} here, handed to each event loop that has subscribers of its channel, once; its frame is
 * encoded once per codec, by the first loop that needs it.
 */
public final class Hub {
  private final HistoryStore history;
  private final int window;
  private final int recoveryMax;
  private final List<LoopHub> loops = new CopyOnWriteArrayList<>();
  /**
   * channel -> the loops with subscribers of it, an immutable list replaced on change (under the map's per-key
   * lock). Most channels are personal, with one subscribing loop: a one-element list, not a concurrent set.
   */
  private final Map<String, List<LoopHub>> interest = new ConcurrentHashMap<>();
  /**
   * Subscribers per channel and connections per user on this node. Counts are Integers changed under the map's
   * per-key lock: a count of one is the JVM's cached Integer, where a counter object would cost 16 bytes for
   * each channel and user of every idle connection.
   */
  private final Map<String, Integer> subscribers = new ConcurrentHashMap<>();
  private final Map<String, Integer> users = new ConcurrentHashMap<>();
  private final AtomicInteger clients = new AtomicInteger();

  private final Metrics metrics;
  private volatile OccupancyListener occupancy = OccupancyListener.NONE;

  public Hub(HistoryStore history, Metrics metrics, int window, int recoveryMax) {
    this.history = history;
    this.metrics = metrics;
    this.window = window;
    this.recoveryMax = recoveryMax;
  }

  /** Who hears connections come and go (webhooks); set once at start, before clients connect. */
  public void observe(OccupancyListener listener) {
    this.occupancy = listener;
  }

  Metrics metrics() {
    return metrics;
  }

  /** Called by each gateway verticle instance on its own event loop. */
  public LoopHub newLoop(Context context) {
    LoopHub loop = new LoopHub(this, context, history, window, recoveryMax);
    loops.add(loop);
    return loop;
  }

  public void removeLoop(LoopHub loop) {
    loops.remove(loop);
  }

  public List<LoopHub> loops() {
    return loops;
  }

  void interest(String channel, LoopHub loop, boolean on) {
    if (on) {
      interest.compute(channel, (k, loops) -> loops == null ? List.of(loop) : with(loops, loop));
    } else {
      interest.computeIfPresent(channel, (k, loops) -> without(loops, loop));
    }
  }

  private static List<LoopHub> with(List<LoopHub> loops, LoopHub loop) {
    if (loops.contains(loop)) {
      return loops;
    }
    List<LoopHub> more = new ArrayList<>(loops.size() + 1);
    more.addAll(loops);
    more.add(loop);
    return List.copyOf(more);
  }

  /** The list without {@code loop}, or null (which removes the entry) when none remain. */
  private static List<LoopHub> without(List<LoopHub> loops, LoopHub loop) {
    if (!loops.contains(loop)) {
      return loops;
    }
    List<LoopHub> fewer = new ArrayList<>(loops);
    fewer.remove(loop);
    return fewer.isEmpty() ? null : List.copyOf(fewer);
  }

  /** Channels with at least one subscriber on this node. */
  public Set<String> channels() {
    return interest.keySet();
  }

  void subscriberAdded(String channel) {
    subscribers.merge(channel, 1, Integer::sum);
  }

  void subscriberRemoved(String channel) {
    subscribers.computeIfPresent(channel, Hub::decrement);
  }

  /** Subscriber count per channel on this node. */
  public Map<String, Integer> channelCounts() {
    return new java.util.HashMap<>(subscribers);
  }

  void clientAdded(String user) {
    clients.incrementAndGet();
    users.merge(user, 1, Integer::sum);
    occupancy.connected(user);
  }

  void clientRemoved(String user) {
    clients.decrementAndGet();
    users.computeIfPresent(user, Hub::decrement);
    occupancy.disconnected(user);
  }

  /** One less, or null (which removes the entry) at zero. */
  private static Integer decrement(String key, Integer n) {
    return n <= 1 ? null : n - 1;
  }

  public int numClients() {
    return clients.get();
  }

  public int numUsers() {
    return users.size();
  }

  public boolean hasUser(String user) {
    return users.containsKey(user);
  }

  /** Delivers committed (or ephemeral) publications of one channel to this node's subscribers. */
  public void deliver(String channel, List<Publication> pubs, long acceptedAtMillis) {
    List<LoopHub> targets = interest.get(channel);
    if (targets == null) {
      return;
    }
    List<Delivery> deliveries = new ArrayList<>(pubs.size());
    for (Publication p : pubs) {
      deliveries.add(Delivery.of(p, acceptedAtMillis));
    }
    for (LoopHub loop : targets) {
      loop.context().runOnContext(v -> loop.onDeliveries(channel, deliveries));
    }
  }

  /** Delivers a join or leave to this node's subscribers of its channel that asked for them. */
  public void deliverJoinLeave(JoinLeave event) {
    List<LoopHub> targets = interest.get(event.channel());
    if (targets == null) {
      return;
    }
    JoinLeave.Encoded frames = new JoinLeave.Encoded(event);
    for (LoopHub loop : targets) {
      loop.context().runOnContext(v -> loop.onJoinLeave(event.channel(), frames));
    }
  }

  /** Runs an action on every event loop, on that loop. */
  public void onEachLoop(Consumer<LoopHub> action) {
    for (LoopHub loop : loops) {
      loop.context().runOnContext(v -> action.accept(loop));
    }
  }
}
