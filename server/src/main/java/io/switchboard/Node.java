package io.switchboard;

import io.switchboard.auth.TokenVerifier;
import io.switchboard.broker.Broker;
import io.switchboard.broker.Hub;
import io.switchboard.channel.ChannelRules;
import io.switchboard.cluster.Peers;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.history.HistoryStore;
import io.switchboard.history.InboxStore;
import io.switchboard.history.ReadPositionStore;
import io.switchboard.notify.PushQueue;
import io.switchboard.ops.Metrics;
import io.switchboard.presence.PresenceRegistry;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The services of one running Switchboard node, built once at start and shared by every verticle instance.
 * All of them are safe to call from any event loop.
 */
public final class Node {
  /** The server version, as told to clients (connect, refresh) and by the {@code info} API. */
  public static final String VERSION = "0.1.0";

  /** The cluster's id of this node (a fresh UUID on a single node). */
  public final String id;
  public final long startedAtMillis = System.currentTimeMillis();
  public final AtomicBoolean draining = new AtomicBoolean();
  public final AtomicBoolean migrated = new AtomicBoolean();

  public final Vertx vertx;
  public final SwitchboardConfig config;
  public final ChannelRules rules;
  public final HistoryStore history;
  public final ReadPositionStore reads;
  /** Read state of the users' notification inboxes ({@code notify:#<user>}). */
  public final InboxStore inbox;
  public final Hub hub;
  public final Broker broker;
  public final PresenceRegistry presence;
  public final TokenVerifier tokens;
  public final Metrics metrics;
  /** Checks that PostgreSQL answers; used by readiness. */
  public final io.vertx.sqlclient.Pool pool;
  /** The other nodes of the cluster ({@link Peers#NONE} on a single node). */
  public final Peers peers;
  /** Where the notify API queues Web Push jobs for offline users ({@link PushQueue#NONE} when push is off). */
  public final PushQueue pushQueue;

  public Node(Vertx vertx, SwitchboardConfig config, ChannelRules rules, HistoryStore history,
      ReadPositionStore reads, Hub hub, Broker broker, PresenceRegistry presence, TokenVerifier tokens,
      Metrics metrics, io.vertx.sqlclient.Pool pool, String id, Peers peers, PushQueue pushQueue) {
    this.pushQueue = pushQueue;
    this.inbox = new InboxStore(pool);
    this.id = id;
    this.peers = peers;
    this.vertx = vertx;
    this.config = config;
    this.rules = rules;
    this.history = history;
    this.reads = reads;
    this.hub = hub;
    this.broker = broker;
    this.presence = presence;
    this.tokens = tokens;
    this.metrics = metrics;
    this.pool = pool;
  }
}
