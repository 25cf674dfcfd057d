package io.switchboard.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.core.Publishing;
import io.switchboard.channel.NamespacePolicy;
import io.switchboard.config.OutboxConfig;
import io.switchboard.history.PgHistoryStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the rows applications commit to {@code switchboard_outbox}. A run repeats {@link OutboxBatch} steps
 * until a step takes less than a full batch, then hands each step's publications to {@link Publishing}
 * after its commit. Runs are started by:
 * <ul>
 *   <li>a NOTIFY on {@value #NOTIFY_CHANNEL} (the table's trigger, sent at commit);
 *   <li>every (re)connect of the LISTEN connection: notifications sent while it was down are lost, so it
 *       resyncs;
 *   <li>a timer every {@code outbox.poll_interval}, the fallback.
 * </ul>
 * One run at a time on this node (a wake-up during a run starts another after it); one step at a time in
 * the cluster (the advisory lock). Everything here runs on this verticle's event loop, without blocking it.
 */
public final class OutboxIngest extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxIngest.class);

  public static final String NOTIFY_CHANNEL = "switchboard_outbox";
  /** The LISTEN connection's application_name, to tell it apart in pg_stat_activity. */
  public static final String APPLICATION_NAME = "switchboard-outbox-listen";

  private final OutboxBatch batch;
  private final Publishing publishing;
  private final PgConnectOptions connectOptions;
  private final OutboxConfig config;
  private final Counter published;
  private final Counter rejected;
  private final Counter listens;
  private final Counter failures;

  private PgSubscriber subscriber;
  private long pollTimer = -1;
  private boolean running;
  private boolean again;
  private boolean stopped;
  /** Completed when the run in flight at {@link #stop} has ended. */
  private Promise<Void> drained;

  public OutboxIngest(Pool pool, PgConnectOptions connectOptions, NamespacePolicy rules, PgHistoryStore history,
      Publishing publishing, OutboxConfig config, MeterRegistry registry) {
    this.batch = new OutboxBatch(pool, rules, history, config.batchSize(), publishing.limits());
    this.publishing = publishing;
    this.connectOptions = connectOptions;
    this.config = config;
    this.published = Counter.builder("switchboard_outbox_published")
        .description("Outbox rows published (duplicates of an idempotency key not counted)").register(registry);
    this.rejected = Counter.builder("switchboard_outbox_rejected")
        .description("Outbox rows skipped with an error (unknown channel, bad tags)").register(registry);
    this.listens = Counter.builder("switchboard_outbox_listens")
        .description("LISTEN (re)connects of the outbox ingest, each followed by a resync").register(registry);
    this.failures = Counter.builder("switchboard_outbox_failures")
        .description("Outbox ingest steps that failed (retried)").register(registry);
  }

  @Override
  public Future<?> start() {
    pollTimer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> wake());
    listen();
    wake();
    return Future.succeededFuture();
  }

  /** Stops listening and polling, and lets a step in flight commit (and deliver) before it returns. */
  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(pollTimer);
    Future<Void> closed = subscriber == null ? Future.succeededFuture() : subscriber.close();
    if (!running) {
      return closed;
    }
    drained = Promise.promise();
    return Future.join(closed, drained.future());
  }

  private void listen() {
    PgConnectOptions options = new PgConnectOptions(connectOptions);
    Map<String, String> props = new LinkedHashMap<>(options.getProperties());
    props.put("application_name", APPLICATION_NAME);
    options.setProperties(props);
    PgSubscriber sub = PgSubscriber.subscriber(vertx, options).reconnectPolicy(OutboxIngest::reconnectDelay);
    sub.channel(NOTIFY_CHANNEL)
        .handler(payload -> wake())
        .subscribeHandler(v -> {
          var conn = sub.actualConnection();
          if (conn != null) {
            // e.g. 57P01 when the backend is terminated; the subscriber then reconnects (reconnectDelay).
            conn.exceptionHandler(e -> LOG.info("outbox: LISTEN connection: {}", e.toString()));
          }
          listens.increment();
          LOG.debug("outbox: listening on {}, resyncing", NOTIFY_CHANNEL);
          wake();
        });
    subscriber = sub;
    sub.connect().onFailure(e -> {
      // The subscriber retries only a connection it once had: retry the first connect with a new one.
      LOG.warn("outbox: LISTEN connection failed ({}); polling meanwhile, retrying", e.toString());
      sub.close();
      if (!stopped) {
        vertx.setTimer(reconnectDelay(3), t -> {
          if (!stopped) {
            listen();
          }
        });
      }
    });
  }

  /**
   * Delay before reconnect attempt {@code attempt} (0 first): 1 s doubling to 16 s, never giving up. Rows
   * committed meanwhile are found by the resync that follows the reconnect (and by the poll).
   */
  static long reconnectDelay(int attempt) {
    return 1000L << Math.min(attempt, 4);
  }

  /** Starts a run, or asks the running one to go again. Any thread. */
  private void wake() {
    context.runOnContext(v -> {
      if (stopped) {
        return;
      }
      if (running) {
        again = true;
        return;
      }
      running = true;
      again = false;
      step();
    });
  }

  private void step() {
    long acceptedAt = System.currentTimeMillis();
    batch.run().onComplete(ar -> context.runOnContext(v -> {
      if (ar.failed()) {
        failures.increment();
        LOG.warn("outbox: ingest failed, retrying: {}", ar.cause().toString());
        idle();
        if (!stopped) {
          vertx.setTimer(Math.min(1000, config.pollInterval().toMillis()), t -> wake());
        }
        return;
      }
      OutboxBatch.Result r = ar.result();
      // Committed: now deliver live, in order per channel.
      r.deliveries().forEach(d -> publishing.committed(d.channel(), d.pubs(), acceptedAt));
      published.increment(r.published());
      rejected.increment(r.rejected());
      if (r.rejected() > 0) {
        LOG.warn("outbox: {} row(s) rejected, see switchboard_outbox.error", r.rejected());
      }
      if ((again || r.rows() >= config.batchSize()) && !stopped) {
        again = false;
        step();
      } else {
        idle();
      }
    }));
  }

  private void idle() {
    running = false;
    again = false;
    if (drained != null) {
      drained.tryComplete();
    }
  }
}
