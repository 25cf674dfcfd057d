package io.switchboard;

import io.switchboard.channel.ChannelPolicy;
import io.switchboard.core.Core;
import io.switchboard.core.HistoryQueries;
import io.switchboard.core.NodeStats;
import io.switchboard.core.Notifying;
import io.switchboard.core.PresenceQueries;
import io.switchboard.core.Publishing;
import io.switchboard.core.Subscribing;
import io.switchboard.core.UserActions;
import io.switchboard.gateway.GatewayServices;
import io.switchboard.history.HistoryStore;
import io.switchboard.history.InboxStore;
import io.switchboard.notify.push.DeviceRegistry;
import io.switchboard.ops.NodeStatus;
import io.switchboard.rpc.RpcMethods;
import io.switchboard.core.ChannelBackend;
import io.switchboard.gateway.CommandBudget;
import io.switchboard.proxy.ConnectionProxy;
import io.switchboard.proxy.HttpChannelBackend;
import io.switchboard.proxy.ProxyClient;
import io.switchboard.rpc.RpcServices;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.auth.TokenMinter;
import io.switchboard.auth.TokenVerifier;
import io.switchboard.broker.Broker;
import io.switchboard.broker.Hub;
import io.switchboard.broker.Dispatch;
import io.switchboard.broker.LocalDispatch;
import io.switchboard.cluster.ClusterDispatch;
import io.switchboard.cluster.ClusterNode;
import io.switchboard.cluster.ClusterPresence;
import io.switchboard.cluster.ClusterSetup;
import io.switchboard.cluster.Peers;
import io.switchboard.presence.PresenceRegistry;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.switchboard.channel.NamespacePolicy;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.gateway.EmulatedSessions;
import io.switchboard.gateway.GatewayLoop;
import io.switchboard.transport.OriginCheck;
import io.switchboard.transport.stream.StreamEndpoints;
import io.switchboard.http.HttpListenerVerticle;
import io.switchboard.http.HttpRoutes;
import io.switchboard.pusher.PusherLoop;
import io.switchboard.pusher.PusherServices;
import io.switchboard.history.HistoryRetention;
import io.switchboard.history.PgHistoryStore;
import io.switchboard.history.ReadPositionStore;
import io.switchboard.notify.PushQueue;
import io.switchboard.notify.push.PgPushQueue;
import io.switchboard.notify.push.PushMetrics;
import io.switchboard.notify.push.PushSender;
import io.switchboard.notify.push.PushDevice;
import io.switchboard.notify.push.PushProvider;
import io.switchboard.notify.push.WebPushProvider;
import io.switchboard.config.PushConfig;
import io.switchboard.ops.Metrics;
import io.switchboard.outbox.OutboxIngest;
import io.switchboard.presence.LocalPresence;
import io.switchboard.storage.EmbeddedPostgresLauncher;
import io.switchboard.storage.JdbcTarget;
import io.switchboard.storage.MigrationVerticle;
import io.switchboard.storage.PgPools;
import io.switchboard.storage.PgUrl;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: starts PostgreSQL (embedded, unless a URL is configured), runs the migrations in a worker
 * verticle, builds the node's services and deploys one HTTP listener (with its gateway) per event loop.
 * {@link #start} and {@link #close} block the calling thread (main, or a test), never an event loop.
 */
public final class Switchboard implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Switchboard.class);

  private final SwitchboardConfig config;
  private final EmbeddedPostgresLauncher embedded;
  private final String pgDescription;
  private final Vertx vertx;
  private final Parts parts;
  private final Pool pool;
  private final int eventLoops;

  private final List<HttpListenerVerticle> listeners;
  /** The outbox ingest's deployment, stopped first on close; null when {@code outbox.enabled} is false. */
  private volatile String outboxDeployment;
  /** Webhooks, flushed once more on drain; null when no webhook URL is configured. */
  private volatile io.switchboard.webhook.Webhooks webhooks;
  /** The backend proxy's client, which owns a Vert.x of its own (its event loop); null without proxies. */
  private volatile ProxyClient proxyClient;
  private final ClusterPresence clusterPresence;
  private final PushSender pushSender;

  private Switchboard(SwitchboardConfig config, EmbeddedPostgresLauncher embedded, String pgDescription,
      Vertx vertx, Parts parts, Pool pool, int eventLoops, List<HttpListenerVerticle> listeners,
      ClusterPresence clusterPresence, PushSender pushSender) {
    this.pushSender = pushSender;
    this.listeners = listeners;
    this.clusterPresence = clusterPresence;
    this.config = config;
    this.embedded = embedded;
    this.pgDescription = pgDescription;
    this.vertx = vertx;
    this.parts = parts;
    this.pool = pool;
    this.eventLoops = eventLoops;
  }

  public static Switchboard start(SwitchboardConfig config) throws Exception {
    return start(config, null);
  }

  /**
   * As {@link #start(SwitchboardConfig)}, with the node's push queue replaced by {@code pushQueue} when it is
   * not null (tests record what the notify path enqueues through it).
   */
  public static Switchboard start(SwitchboardConfig config, io.switchboard.notify.PushQueue pushQueue)
      throws Exception {
    EmbeddedPostgresLauncher embedded = null;
    PgConnectOptions pgOptions;
    JdbcTarget jdbc;
    String pgDescription;
    if (config.postgres().embedded()) {
      embedded = EmbeddedPostgresLauncher.start(Path.of(config.dataDir()));
      PgUrl url = PgUrl.parse(embedded.url());
      pgOptions = url.connectOptions(config.postgres().pipeliningLimit());
      jdbc = embedded.jdbcTarget();
      pgDescription = "embedded, data in " + embedded.pgDataDirectory();
    } else {
      PgUrl url = PgUrl.parse(config.postgres().url());
      pgOptions = url.connectOptions(config.postgres().pipeliningLimit());
      jdbc = url.jdbc();
      pgDescription = url.redacted();
    }
    int eventLoops = Math.max(1, Runtime.getRuntime().availableProcessors());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    VertxOptions options = new VertxOptions()
        .setPreferNativeTransport(true)
        .setEventLoopPoolSize(eventLoops)
        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
            // Per-socket and per-request meters of every WebSocket: work on each handshake that the node's own
            // switchboard_connections/_commands meters already cover; and in the reconnect storm benchmark Vert.x
            // 5.0's server metrics logged NullPointerExceptions for sockets closed during their upgrade.
            .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
            .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
            .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET));
    var builder = Vertx.builder().withMetrics(new MicrometerMetricsFactory(registry));
    HazelcastClusterManager clusterManager = null;
    Vertx vertx;
    if (config.cluster().enabled()) {
      clusterManager = ClusterSetup.manager(config.cluster());
      options.setEventBusOptions(ClusterSetup.eventBus(config.cluster()));
      vertx = await(builder.with(options).withClusterManager(clusterManager).buildClustered());
    } else {
      vertx = builder.with(options).build();
    }
    try {
      return boot(config, embedded, pgDescription, vertx, registry, pgOptions, jdbc, eventLoops, clusterManager,
          pushQueue);
    } catch (Exception e) {
      vertx.close();
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
  }

  private static Switchboard boot(SwitchboardConfig config, EmbeddedPostgresLauncher embedded,
      String pgDescription, Vertx vertx, PrometheusMeterRegistry registry, PgConnectOptions pgOptions,
      JdbcTarget jdbc, int eventLoops, HazelcastClusterManager clusterManager,
      io.switchboard.notify.PushQueue pushQueueOverride) throws Exception {
    await(MigrationVerticle.migrate(vertx, jdbc.withTimeouts(config.postgres().connectTimeout(),
        MigrationVerticle.SOCKET_TIMEOUT, null)));
    Pool pool = PgPools.create(vertx, pgOptions, config.postgres());
    Pool readinessProbe = PgPools.readinessProbe(vertx, pgOptions, config.postgres());
    TokenVerifier tokens = await(TokenVerifier.create(vertx, config.token(), config.payload()));
    Metrics metrics = new Metrics(registry);
    PgHistoryStore history = new PgHistoryStore(pool);
    NamespacePolicy rules = new NamespacePolicy(config.channels());
    Hub hub = new Hub(history, metrics, config.client().recoveryMaxPublications(),
        config.client().recoveryMaxPublications());
    Dispatch dispatch;
    PresenceRegistry presence;
    Peers peers;
    ClusterNode cluster = null;
    String nodeId;
    if (clusterManager != null) {
      cluster = new ClusterNode(vertx, clusterManager);
      ClusterDispatch clusterDispatch = new ClusterDispatch(hub, cluster.bus());
      ClusterPresence clusterPresence = new ClusterPresence(vertx, cluster.bus(),
          (channel, info) -> leaveOfDeadNode(rules, hub, channel, info), channel -> joinLeave(rules, channel));
      dispatch = clusterDispatch;
      presence = clusterPresence;
      peers = cluster;
      nodeId = cluster.nodeId();
      await(cluster.start(clusterDispatch, clusterPresence));
    } else {
      dispatch = new LocalDispatch(hub);
      presence = new LocalPresence();
      peers = Peers.NONE;
      nodeId = java.util.UUID.randomUUID().toString();
    }
    NodeStatus status = new NodeStatus(nodeId, config.nodeName());
    io.switchboard.webhook.Webhooks webhooks = startWebhooks(vertx, config, nodeId, cluster, pgOptions, registry);
    if (webhooks != null) {
      hub.observe(webhooks.listener());
    }
    Broker broker = new Broker(vertx, history, dispatch, config.postgres().statementTimeout().toMillis());
    PushQueue pushQueue = pushQueueOverride != null ? pushQueueOverride
        : config.push().anyProvider() ? new PgPushQueue(vertx, pool) : PushQueue.NONE;
    // One proxy client for the node: its in-flight bound is per node (docs/proxy.md).
    ProxyClient proxyClient = config.proxy().proxies().isEmpty() ? null : new ProxyClient(vertx, config.proxy());
    ChannelBackend backend = proxyClient == null ? ChannelBackend.NONE
        : new HttpChannelBackend(proxyClient, config.proxy());
    Core core = buildCore(config, rules, history, hub, broker, presence, peers, pushQueue, metrics, status,
        webhooks == null ? io.switchboard.presence.OccupancyListener.NONE : webhooks.listener(), backend);
    core.users().install();
    core.stats().install();
    status.markMigrated();
    metrics.gauge("switchboard_connections", "Connected clients on this node", hub::numClients);
    metrics.gauge("switchboard_users", "Distinct users connected to this node", hub::numUsers);
    metrics.gauge("switchboard_channels", "Channels with subscribers on this node", () -> hub.channels().size());
    TokenMinter demoMinter = config.demo() ? new TokenMinter(config.token().hmacSecret()) : null;
    RpcMethods rpc = new RpcMethods(new RpcServices(rules, config.channels(), new ReadPositionStore(pool),
        new InboxStore(pool), config.push(), new DeviceRegistry(pool)));
    GatewayServices gatewayServices = new GatewayServices(config.client(), config.channels(), tokens, metrics, core,
        rpc, hub, status, new CommandBudget(config.client().nodePendingCommandBytes()),
        proxyClient == null ? ConnectionProxy.NONE : new ConnectionProxy(proxyClient, config.proxy()));
    metrics.gauge("switchboard_pending_command_bytes", "Bytes of client commands read but not yet answered",
        gatewayServices.budget()::pending);
    EmulatedSessions emulated = new EmulatedSessions(nodeId, peers);
    // Same-host browsers: any host in demo mode, only http.allowed_hosts in production (DNS rebinding).
    OriginCheck origins = new OriginCheck(config.http().allowedOrigins(), config.http().allowedHosts(),
        config.demo());
    StreamEndpoints.Settings streams = new StreamEndpoints.Settings(config.streams().httpStream(),
        config.streams().sse(), config.client().maxMessageBytes(), origins, emulated);
    PusherServices pusherServices = new PusherServices(config.pusher(), core, hub, config.client().maxMessageBytes(),
        config.client().maxOutboundBytes(), io.switchboard.pusher.PusherWebhooks.clientEvents(webhooks));
    List<HttpListenerVerticle> listeners = new CopyOnWriteArrayList<>();
    var serverOptions = HttpListenerVerticle.serverOptions(config.http(), config.client());
    await(vertx.deployVerticle(() -> {
      HttpListenerVerticle l = new HttpListenerVerticle(serverOptions, origins,
          v -> HttpRoutes.create(v, config, core, metrics, status, pool, readinessProbe, registry,
              demoMinter),
          context -> new GatewayLoop(gatewayServices, context, emulated), status::draining, metrics, streams,
          config.uni(), config.client().maxMessageBytes())
          .withPusher(config.pusher().enabled() ? context -> new PusherLoop(pusherServices, context, origins) : null);
      listeners.add(l);
      return l;
    }, new DeploymentOptions().setInstances(eventLoops)));
    scheduleRetention(vertx, config, pool);
    PushSender pushSender = config.push().anyProvider()
        ? await(PushSender.deploy(vertx, config.push(), pushProviders(config.push()), pushJdbc(jdbc, config.postgres()),
            new PushMetrics(registry)))
        : null;
    String outbox = null;
    if (config.outbox().enabled()) {
      outbox = await(vertx.deployVerticle(new OutboxIngest(pool, pgOptions, rules, history, core.publishing(),
          config.outbox(), registry)));
    }
    Switchboard started = new Switchboard(config, embedded, pgDescription, vertx,
        new Parts(config, status, core, rules, history, hub, broker, pushQueue, metrics), pool, eventLoops, listeners,
        clusterPresenceOf(presence), pushSender);
    started.outboxDeployment = outbox;
    started.webhooks = webhooks;
    started.proxyClient = proxyClient;
    return started;
  }

  /** A provider per configured platform (a bad key or credentials file fails the start, naming its key). */
  private static Map<String, PushProvider> pushProviders(PushConfig push) {
    java.time.Duration timeout = PushSender.providerTimeout(push);
    Map<String, PushProvider> providers = new java.util.HashMap<>();
    if (push.enabled()) {
      providers.put(PushDevice.WEBPUSH, new WebPushProvider(push, timeout));
    }
    if (push.fcm() != null) {
      providers.put(PushDevice.FCM, new io.switchboard.notify.push.fcm.FcmProvider(push.fcm(), timeout));
    }
    if (push.apns() != null) {
      providers.put(PushDevice.APNS, new io.switchboard.notify.push.apns.ApnsProvider(push.apns(), timeout));
    }
    return Map.copyOf(providers);
  }

  /**
   * The push workers' JDBC target: PostgreSQL's statement_timeout as on the pool, and a socket timeout (twice
   * it) for a server that answers nothing: a worker then reconnects instead of blocking for ever.
   */
  private static JdbcTarget pushJdbc(JdbcTarget jdbc, io.switchboard.config.PostgresConfig pg) {
    return jdbc.withTimeouts(pg.connectTimeout(), pg.statementTimeout().multipliedBy(2), pg.statementTimeout());
  }

  /** The use cases every front end calls, each given exactly what it works with. */
  private static Core buildCore(SwitchboardConfig config, ChannelPolicy policy, HistoryStore history, Hub hub,
      Broker broker, PresenceRegistry presence, Peers peers, PushQueue pushQueue, Metrics metrics, NodeStatus status,
      io.switchboard.presence.OccupancyListener occupancy, ChannelBackend backend) {
    Publishing publishing = new Publishing(policy, broker, metrics, config.payload(), backend);
    return new Core(policy, publishing, new Subscribing(presence, broker, metrics, occupancy, backend),
        new PresenceQueries(policy, presence), new HistoryQueries(policy, history),
        new Notifying(policy, config.channels(), presence, hub, history, pushQueue, publishing, metrics),
        new UserActions(hub, peers, policy), new NodeStats(hub, peers, status));
  }

  /**
   * What a running node is made of, for tests and diagnostics (production code gets its parts injected and
   * never reaches in through here).
   */
  public record Parts(SwitchboardConfig config, NodeStatus status, Core core, ChannelPolicy policy,
      HistoryStore history, Hub hub, Broker broker, PushQueue pushQueue, Metrics metrics) {}

  /** Webhooks (docs/webhooks.md, and Pusher apps'), when URLs are configured; told of nodes that leave. */
  private static io.switchboard.webhook.Webhooks startWebhooks(Vertx vertx, SwitchboardConfig config, String nodeId,
      ClusterNode cluster, PgConnectOptions pgOptions, PrometheusMeterRegistry registry) throws Exception {
    List<io.switchboard.webhook.WebhookTarget> targets = new java.util.ArrayList<>(
        io.switchboard.webhook.WebhookTarget.switchboard(config.webhooks()));
    targets.addAll(io.switchboard.pusher.PusherWebhooks.targets(config.pusher())); // docs/pusher.md#webhooks
    if (targets.isEmpty()) {
      return null;
    }
    java.util.function.Supplier<List<String>> members = cluster == null ? () -> List.of(nodeId)
        : () -> cluster.bus().members();
    io.switchboard.webhook.Webhooks webhooks = await(io.switchboard.webhook.Webhooks.start(vertx, config.webhooks(),
        targets, nodeId, members, pgOptions, config.postgres(), registry));
    if (cluster != null) {
      cluster.onNodeLeft(webhooks::nodeLeft);
    }
    return webhooks;
  }

  private static boolean joinLeave(NamespacePolicy rules, String channel) {
    if (PusherServices.alwaysJoinLeave(channel)) {
      return true;
    }
    try {
      return rules.resolve(channel).joinLeave();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** A node died: its clients' leave pushes go to this node's own subscribers (each survivor does the same). */
  private static void leaveOfDeadNode(NamespacePolicy rules, Hub hub, String channel, io.switchboard.model.ClientInfo info) {
    try {
      if (PusherServices.alwaysJoinLeave(channel) || rules.resolve(channel).joinLeave()) {
        hub.deliverJoinLeave(new io.switchboard.broker.JoinLeave(channel, false, info));
      }
    } catch (RuntimeException ignored) {
      // a channel of a namespace this node no longer defines: nothing to tell
    }
  }

  /** Trims history beyond each namespace's history_size and history_ttl, and old API keys, every minute. */
  private static void scheduleRetention(Vertx vertx, SwitchboardConfig config, Pool pool) {
    HistoryRetention retention = new HistoryRetention(pool);
    vertx.setPeriodic(60_000, id -> {
      config.channels().namespaces().forEach((name, ns) -> trim(retention, name, ns));
      trim(retention, "", config.channels().defaults());
      retention.expireApiKeys(HistoryRetention.API_KEY_TTL)
          .onFailure(t -> LOG.warn("expiring API idempotency keys failed: {}", t.toString()));
    });
  }

  private static void trim(HistoryRetention retention, String namespace, NamespaceOptions ns) {
    if (ns.history()) {
      retention.trimNamespace(namespace, ns.historySize(), ns.historyTtl())
          .onFailure(t -> LOG.warn("history retention for namespace '{}' failed: {}", namespace, t.toString()));
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception ex) {
        throw ex;
      }
      throw e;
    } catch (TimeoutException e) {
      throw new IllegalStateException("startup step timed out", e);
    }
  }

  public Parts parts() {
    return parts;
  }

  /** The Web Push sender (worker verticles), or null when push is disabled. */
  public PushSender pushSender() {
    return pushSender;
  }

  public Vertx vertx() {
    return vertx;
  }

  public int port() {
    return config.http().port();
  }

  public String pgDescription() {
    return pgDescription;
  }

  public int eventLoops() {
    return eventLoops;
  }

  public SwitchboardConfig config() {
    return config;
  }

  private static ClusterPresence clusterPresenceOf(PresenceRegistry presence) {
    return presence instanceof ClusterPresence cp ? cp : null;
  }

  /**
   * Graceful stop (SIGTERM): readiness turns false and new WebSockets are refused (503), the clients are
   * closed with 3001 in batches over {@code shutdown.drain_window}, the last presence changes are sent,
   * then Vert.x closes (listeners, event bus, leaving the cluster) and the embedded PostgreSQL stops.
   * Blocking; the caller bounds it by {@code shutdown.grace}.
   */
  public void drainAndClose() {
    parts.status().setDraining(true);
    Duration window = config.shutdown().drainWindow();
    LOG.info("draining {} connections over {} ms", parts.hub().numClients(), window.toMillis());
    try {
      List<Future<Void>> drains = new ArrayList<>();
      listeners.forEach(l -> drains.add(l.drain(window)));
      await(Future.join(drains));
      if (webhooks != null) {
        await(webhooks.flushNow()); // the leaves of the drained clients, before the node is gone
      }
      if (clusterPresence != null) {
        clusterPresence.flushNow();
        Thread.sleep(ClusterPresence.FLUSH_MS); // let the last presence batch leave before the node does
      }
    } catch (Exception e) {
      LOG.warn("drain: {}", e.toString());
    }
    close();
  }

  /** Closes clients (3001, all at once), the listeners, the pool and the embedded PostgreSQL. Blocking. */
  @Override
  public void close() {
    parts.status().setDraining(true);
    if (outboxDeployment != null) {
      try {
        await(vertx.undeploy(outboxDeployment)); // lets a batch in flight commit while the pool is open
      } catch (Exception e) {
        LOG.warn("stopping the outbox ingest: {}", e.toString());
      }
    }
    try {
      await(vertx.close());
    } catch (Exception e) {
      LOG.warn("closing Vert.x: {}", e.toString());
    }
    if (proxyClient != null) {
      try {
        await(proxyClient.close()); // after the listeners: no session calls the backend any more
      } catch (Exception e) {
        LOG.warn("closing the proxy client: {}", e.toString());
      }
    }
    if (embedded != null) {
      embedded.close();
    }
  }
}
