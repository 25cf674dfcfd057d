package io.switchboard.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.config.PostgresConfig;
import io.switchboard.config.WebhookConfig;
import io.switchboard.presence.OccupancyListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import java.util.List;
import java.util.function.Supplier;

/**
 * Webhooks of one node (docs/webhooks.md): the {@link OccupancyListener} that the core and the hub feed, and
 * the verticle that turns its changes into queued events and sends them. {@link #start} deploys it.
 */
public final class Webhooks {
  private final Occupancy occupancy;
  private final WebhookVerticle verticle;

  private Webhooks(Occupancy occupancy, WebhookVerticle verticle) {
    this.occupancy = occupancy;
    this.verticle = verticle;
  }

  /**
   * Deploys the node's webhook verticle. {@code members} are the node ids of the cluster now (this node's
   * alone when not clustered); tell {@link #nodeLeft} when one leaves.
   */
  public static Future<Webhooks> start(Vertx vertx, WebhookConfig config, String nodeId,
      Supplier<List<String>> members, PgConnectOptions pgOptions, PostgresConfig pgConfig, MeterRegistry registry) {
    return start(vertx, config, WebhookTarget.switchboard(config), nodeId, members, pgOptions, pgConfig, registry);
  }

  /**
   * As above, for {@code targets} (the {@code webhooks} section's and other front ends', e.g. Pusher apps'),
   * which share the section's timing, batching and retry settings.
   */
  public static Future<Webhooks> start(Vertx vertx, WebhookConfig config, List<WebhookTarget> targets,
      String nodeId, Supplier<List<String>> members, PgConnectOptions pgOptions, PostgresConfig pgConfig,
      MeterRegistry registry) {
    boolean channels = WebhookTarget.anyWants(targets, "channel_occupied")
        || WebhookTarget.anyWants(targets, "channel_vacated");
    boolean memberEvents = WebhookTarget.anyWants(targets, "member_added")
        || WebhookTarget.anyWants(targets, "member_removed");
    boolean users = WebhookTarget.anyWants(targets, "client_connected")
        || WebhookTarget.anyWants(targets, "client_disconnected");
    Occupancy occupancy = new Occupancy(channels, memberEvents, users);
    WebhookVerticle verticle = new WebhookVerticle(config, targets, occupancy, nodeId, members, pgOptions,
        pgConfig, new WebhookMetrics(registry));
    return vertx.deployVerticle(verticle).map(id -> new Webhooks(occupancy, verticle));
  }

  /**
   * An event that is no change of occupancy ({@code type} e.g. Pusher's client_event), queued for the targets
   * that want it on {@code channel}; {@code data} is JSON text. Written with the next flush; thread-safe.
   */
  public void event(String type, String channel, String user, String data) {
    verticle.offer(new WebhookQueue.Direct(type, channel, user, data));
  }

  /** What the core (subscriptions) and the hub (connections) tell. */
  public OccupancyListener listener() {
    return occupancy;
  }

  /** A node left the cluster: what it held is released, with the removal events that makes. */
  public void nodeLeft(String node) {
    verticle.nodeLeft(node);
  }

  /** Writes the pending changes now (a draining node, before it leaves). */
  public Future<Void> flushNow() {
    return verticle.flushNow();
  }
}
