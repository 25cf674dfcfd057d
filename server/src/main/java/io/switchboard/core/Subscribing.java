package io.switchboard.core;

import io.switchboard.broker.Broker;
import io.switchboard.broker.LoopHub;
import io.switchboard.broker.RecoveryRequest;
import io.switchboard.broker.SubscribeOutcome;
import io.switchboard.broker.Subscription;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.model.ClientInfo;
import io.switchboard.ops.Metrics;
import io.switchboard.presence.OccupancyListener;
import io.switchboard.presence.PresenceRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;

/**
 * What joining and leaving a channel means beyond the connection itself: the subscription on the
 * connection's event loop (stream position, recovery), presence, and join/leave pushes to the others.
 * Every front end's subscribe and unsubscribe, client- or server-initiated, goes through here.
 */
public final class Subscribing {
  private final PresenceRegistry presence;
  private final Broker broker;
  private final Metrics metrics;
  private final OccupancyListener occupancy;
  private final ChannelBackend backend;

  public Subscribing(PresenceRegistry presence, Broker broker, Metrics metrics) {
    this(presence, broker, metrics, OccupancyListener.NONE);
  }

  /** {@code occupancy} hears every subscription that goes live and its end (webhooks). */
  public Subscribing(PresenceRegistry presence, Broker broker, Metrics metrics, OccupancyListener occupancy) {
    this(presence, broker, metrics, occupancy, ChannelBackend.NONE);
  }

  /** With the application {@code backend} deciding subscriptions of the namespaces it proxies. */
  public Subscribing(PresenceRegistry presence, Broker broker, Metrics metrics, OccupancyListener occupancy,
      ChannelBackend backend) {
    this.presence = presence;
    this.broker = broker;
    this.metrics = metrics;
    this.occupancy = occupancy;
    this.backend = backend;
  }

  /** Whether the application backend decides subscriptions to this namespace (its subscribe proxy). */
  public boolean backendDecides(NamespaceOptions ns) {
    return backend.decidesSubscribe(ns);
  }

  /** Asks the backend whether {@code who} may subscribe (before {@link #subscribe}); a refusal fails it. */
  public Future<ChannelBackend.SubscribeVerdict> askBackend(ClientContext who, String channel, NamespaceOptions ns) {
    return backend.subscribe(who, channel, ns);
  }

  /** Whether the backend extends expiring subscriptions of this namespace (its sub_refresh proxy). */
  public boolean backendRefreshes(NamespaceOptions ns) {
    return backend.refreshesSubscriptions(ns);
  }

  /** Asks the backend to extend an expiring subscription. */
  public Future<ChannelBackend.SubRefreshVerdict> refreshByBackend(ClientContext who, String channel,
      NamespaceOptions ns) {
    return backend.subRefresh(who, channel, ns);
  }

  /**
   * Subscribes on the connection's loop; {@code done} runs on that loop in the turn the subscription goes
   * live, so a reply written inside it precedes every push of the channel.
   */
  public void subscribe(LoopHub loop, Subscription sub, NamespaceOptions ns, RecoveryRequest req,
      Handler<SubscribeOutcome> done) {
    metrics.subscribed();
    loop.subscribe(sub, ns, req, done);
  }

  /** After the subscribe reply: the client shows in presence and the others hear of the join. */
  public void joined(String channel, NamespaceOptions ns, ClientInfo info) {
    if (ns.presence()) {
      presence.add(channel, info);
    }
    if (ns.joinLeave()) {
      broker.join(channel, info);
    }
    occupancy.subscribed(channel, info.user(), ns.presence());
  }

  /**
   * Leaves a channel: pushes stop, presence clears, and the others hear of the leave if they heard of the
   * join (a subscription that never went live announced nothing).
   */
  public void leave(LoopHub loop, Subscription sub, NamespaceOptions ns, ClientInfo info) {
    boolean wasLive = sub.live();
    loop.unsubscribe(sub);
    metrics.unsubscribed();
    if (ns.presence()) {
      presence.remove(sub.channel, info.client());
    }
    if (wasLive && ns.joinLeave()) {
      broker.leave(sub.channel, info);
    }
    if (wasLive) {
      occupancy.unsubscribed(sub.channel, info.user(), ns.presence());
    }
  }
}
