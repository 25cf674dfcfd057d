package io.switchboard.webhook;

import io.switchboard.config.PostgresConfig;
import io.switchboard.config.WebhookConfig;
import io.switchboard.storage.PgPools;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's webhook machinery, on one event loop (a standard verticle; nothing here blocks): every
 * {@code flush_interval} it writes the node's occupancy changes to PostgreSQL in one statement, which also
 * enqueues the cluster-wide transitions; it wakes the senders when it enqueued something and polls them every
 * {@code poll_interval}; when a node leaves the cluster (and every 30 s, for nodes whose departure was missed
 * or that died with the whole cluster) it releases what that node held, which enqueues their removals once.
 * It has its own small pool, so webhook trouble never queues behind (or ahead of) clients' statements.
 */
final class WebhookVerticle extends AbstractVerticle {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookVerticle.class);
  static final int MAX_CHANGES_PER_STATEMENT = 5_000;
  static final long SWEEP_MS = 30_000;
  static final String POOL = "switchboard-webhooks";

  /** Direct events (client_event) waiting for the next flush, at most this many; more are dropped, counted. */
  static final int MAX_PENDING_DIRECT = 10_000;

  private final WebhookConfig config;
  private final List<WebhookTarget> targets;
  private final WebhookTarget.Routes routes;
  private final java.util.Queue<WebhookQueue.Direct> direct = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicInteger pendingDirect = new java.util.concurrent.atomic.AtomicInteger();
  private boolean flushingDirect;
  private WebhookQueue queue;
  private final Occupancy occupancy;
  private final String nodeId;
  private final Supplier<List<String>> members;
  private final PgConnectOptions pgOptions;
  private final PostgresConfig pgConfig;
  private final WebhookMetrics metrics;
  private final List<WebhookSender> senders = new ArrayList<>();
  private final Set<String> releasing = new HashSet<>();
  private Pool pool;
  private TransitionStore transitions;
  private WebClient http;
  private boolean flushing;
  private long lastErrorLog;

  WebhookVerticle(WebhookConfig config, List<WebhookTarget> targets, Occupancy occupancy, String nodeId,
      Supplier<List<String>> members, PgConnectOptions pgOptions, PostgresConfig pgConfig, WebhookMetrics metrics) {
    this.config = config;
    this.targets = List.copyOf(targets);
    this.routes = WebhookTarget.Routes.of(targets);
    this.occupancy = occupancy;
    this.nodeId = nodeId;
    this.members = members;
    this.pgOptions = pgOptions;
    this.pgConfig = pgConfig;
    this.metrics = metrics;
  }

  @Override
  public void start() {
    PostgresConfig small = new PostgresConfig(pgConfig.url(), 2, pgConfig.pipeliningLimit(),
        pgConfig.connectTimeout(), pgConfig.statementTimeout(), pgConfig.idleTimeout(), pgConfig.readyTimeout(),
        1_000);
    pool = PgPools.create(vertx, pgOptions, small, POOL);
    transitions = new TransitionStore(pool, routes);
    http = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setUserAgent("Switchboard-Webhooks"));
    queue = new WebhookQueue(pool);
    for (WebhookTarget t : targets) {
      senders.add(new WebhookSender(t.id(), t.url(), config, queue, t.format(), http, metrics));
    }
    vertx.setPeriodic(config.flushInterval().toMillis(), id -> {
      flush();
      flushDirect();
    });
    vertx.setPeriodic(config.pollInterval().toMillis(), id -> senders.forEach(WebhookSender::pump));
    vertx.setTimer(1_000, id -> sweep());
    vertx.setPeriodic(SWEEP_MS, id -> sweep());
  }

  @Override
  public void stop(Promise<Void> done) {
    http.close();
    done.complete();
  }

  /** Writes the pending changes (up to one statement's worth, more at once if there are more). */
  private Future<Void> flush() {
    if (flushing) {
      return Future.succeededFuture();
    }
    List<Occupancy.Change> batch = occupancy.drain(MAX_CHANGES_PER_STATEMENT);
    if (batch.isEmpty()) {
      return Future.succeededFuture();
    }
    flushing = true;
    return transitions.apply(nodeId, batch).transform(ar -> {
      flushing = false;
      if (ar.failed()) {
        occupancy.failed(batch);
        logError("webhooks: writing " + batch.size() + " occupancy changes failed, retrying: " + ar.cause());
        return Future.failedFuture(ar.cause());
      }
      occupancy.committed(batch);
      enqueued(ar.result());
      return occupancy.hasDirty() ? flush() : Future.succeededFuture();
    });
  }

  /** Takes a direct event for the next flush (any thread); dropped and counted failed when too many wait. */
  void offer(WebhookQueue.Direct event) {
    if (!routes.wants(event.type())) {
      return;
    }
    if (pendingDirect.incrementAndGet() > MAX_PENDING_DIRECT) {
      pendingDirect.decrementAndGet();
      metrics.failed(1);
      return;
    }
    direct.add(event);
  }

  /** Enqueues the waiting direct events in one statement; on failure they wait for the next flush. */
  private void flushDirect() {
    if (flushingDirect || direct.isEmpty()) {
      return;
    }
    List<WebhookQueue.Direct> batch = new ArrayList<>();
    WebhookQueue.Direct e;
    while (batch.size() < MAX_CHANGES_PER_STATEMENT && (e = direct.poll()) != null) {
      batch.add(e);
    }
    flushingDirect = true;
    queue.enqueue(batch, routes).onComplete(ar -> {
      flushingDirect = false;
      if (ar.failed()) {
        direct.addAll(batch); // behind newer ones: receivers order by time_ms, not arrival
        logError("webhooks: enqueuing " + batch.size() + " events failed, retrying: " + ar.cause());
      } else {
        pendingDirect.addAndGet(-batch.size());
        enqueued(ar.result());
      }
    });
  }

  /** Writes what is pending now; for a node about to leave. Runs on this verticle's context. */
  Future<Void> flushNow() {
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> {
      flushDirect();
      flushUntilDone(p, 0);
    });
    return p.future();
  }

  private void flushUntilDone(Promise<Void> p, int round) {
    if (!occupancy.hasDirty() || round > 5) {
      p.complete();
    } else if (flushing) {
      vertx.setTimer(10, id -> flushUntilDone(p, round + 1));
    } else {
      flush().onComplete(ar -> flushUntilDone(p, round + 1));
    }
  }

  /** Another node left the cluster: what it held is released here (or by a survivor that was quicker). */
  void nodeLeft(String node) {
    context.runOnContext(v -> release(node));
  }

  private void release(String node) {
    if (node.equals(nodeId) || !releasing.add(node)) {
      return;
    }
    transitions.releaseNode(node).onComplete(ar -> {
      releasing.remove(node);
      if (ar.failed()) {
        logError("webhooks: releasing what node " + node + " held failed (the next sweep retries): " + ar.cause());
      } else {
        if (ar.result() > 0) {
          LOG.info("webhooks: node {} left; enqueued {} removals", node, ar.result());
        }
        enqueued(ar.result());
      }
    });
  }

  /** Releases nodes that hold rows but are not in the cluster (their departure was missed, or all died). */
  private void sweep() {
    transitions.holdingNodes().onSuccess(holding -> {
      List<String> alive = members.get(); // read after the rows: a node can only hold rows once it is a member
      for (String node : holding) {
        if (!alive.contains(node)) {
          release(node);
        }
      }
    }).onFailure(t -> logError("webhooks: sweep failed: " + t));
    transitions.sweepZeroKeys();
  }

  private void enqueued(long rows) {
    if (rows > 0) {
      metrics.queued(rows);
      senders.forEach(WebhookSender::pump);
    }
  }

  private void logError(String message) {
    long now = System.currentTimeMillis();
    if (now - lastErrorLog > 10_000) {
      lastErrorLog = now;
      LOG.warn(message);
    }
  }
}
