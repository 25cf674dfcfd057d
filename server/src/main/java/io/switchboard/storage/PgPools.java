package io.switchboard.storage;

import io.switchboard.config.ConfigException;
import io.switchboard.config.PostgresConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Builds the reactive PostgreSQL pool. Pools are shared by name: verticle instances that ask for the same name
 * get the same connections. A pool created inside a verticle is released when that verticle is undeployed (and
 * closed when its last user goes).
 *
 * <p>Every pool has the timeouts of {@link PostgresConfig}: a TCP connect timeout, an idle timeout, a bounded
 * wait queue whose waiters give up after {@code statement_timeout}, PostgreSQL's {@code statement_timeout} on
 * each connection, and, around it all, {@link DeadlinePool}: the client-side deadline that holds when the
 * server answers nothing at all.
 */
public final class PgPools {
  public static final String DEFAULT_NAME = "switchboard-pg";

  private PgPools() {}

  /**
   * A shared pool named {@code name} of at most {@code maxSize} connections for tools and tests: the default
   * timeouts, but a 30 s deadline (the Vert.x pool's own wait for a connection), as patient as before deadlines.
   */
  public static Pool create(Vertx vertx, PgConnectOptions connectOptions, int maxSize, String name) {
    PostgresConfig d = new PostgresConfig("", maxSize, connectOptions.getPipeliningLimit());
    return create(vertx, connectOptions, new PostgresConfig("", maxSize, d.pipeliningLimit(), d.connectTimeout(),
        TOOL_DEADLINE, d.idleTimeout(), d.readyTimeout(), d.waitQueueSize()), name);
  }

  private static final java.time.Duration TOOL_DEADLINE = java.time.Duration.ofSeconds(30);

  /** The server's pool ({@value #DEFAULT_NAME}) for {@code connectOptions}, sized and timed by {@code cfg}. */
  public static Pool create(Vertx vertx, PgConnectOptions connectOptions, PostgresConfig cfg) {
    return create(vertx, connectOptions, cfg, DEFAULT_NAME);
  }

  /**
   * The readiness probe's own connection ({@value #READY_NAME}), with {@code ready_timeout} as its deadline. A
   * node busy with a storm of queries is busy, not unready: through the main pool, the probe queued behind a
   * reconnect storm's lookups and the node looked down while it served (docs/benchmarks.md, the reconnect storm).
   */
  public static Pool readinessProbe(Vertx vertx, PgConnectOptions connectOptions, PostgresConfig cfg) {
    return create(vertx, connectOptions, new PostgresConfig(cfg.url(), 1, 1, cfg.connectTimeout(),
        cfg.readyTimeout(), cfg.idleTimeout(), cfg.readyTimeout(), 64), READY_NAME);
  }

  public static final String READY_NAME = "switchboard-pg-ready";

  /** A shared pool named {@code name}, sized and timed by {@code cfg} (its url is not used here). */
  public static Pool create(Vertx vertx, PgConnectOptions connectOptions, PostgresConfig cfg, String name) {
    if (cfg.poolSize() < 1) {
      throw new ConfigException("postgres.pool_size", "must be at least 1 (got " + cfg.poolSize() + ")");
    }
    int deadlineMs = (int) cfg.statementTimeout().toMillis();
    PoolOptions poolOptions = new PoolOptions()
        .setMaxSize(cfg.poolSize())
        .setShared(true)
        .setName(name)
        // A request still waiting for a connection at the deadline is dropped, never run late.
        .setConnectionTimeout(deadlineMs)
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
        .setMaxWaitQueueSize(cfg.waitQueueSize())
        .setIdleTimeout((int) cfg.idleTimeout().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    NetClientOptions tcp = new NetClientOptions()
        .setConnectTimeout((int) cfg.connectTimeout().toMillis())
        .setTcpKeepAlive(true);
    PgConnectOptions options = new PgConnectOptions(connectOptions);
    Map<String, String> props = new LinkedHashMap<>(options.getProperties());
    // The server cancels a slow statement itself (and frees its locks); the deadline below covers a server
    // that cannot even do that.
    props.put("statement_timeout", Integer.toString(deadlineMs));
    options.setProperties(props);
    Pool pool = PgBuilder.pool()
        .with(poolOptions)
        .with(tcp)
        .connectingTo(options)
        .using(vertx)
        .build();
    return new DeadlinePool(vertx, pool, deadlineMs);
  }
}
