package io.switchboard.storage;

import io.switchboard.config.ConfigException;
import io.switchboard.config.PostgresConfig;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * Builds the reactive PostgreSQL pool. Pools are shared by name: verticle instances that ask for the same name
 * get the same connections. A pool created inside a verticle is released when that verticle is undeployed (and
 * closed when its last user goes).
 */
public final class PgPools {
  public static final String DEFAULT_NAME = "switchboard-pg";

  private PgPools() {}

  /** A shared pool named {@code name} of at most {@code maxSize} connections. */
  public static Pool create(Vertx vertx, PgConnectOptions connectOptions, int maxSize, String name) {
    if (maxSize < 1) {
      throw new ConfigException("postgres.pool_size", "must be at least 1 (got " + maxSize + ")");
    }
    PoolOptions poolOptions = new PoolOptions()
        .setMaxSize(maxSize)
        .setShared(true)
        .setName(name);
    return PgBuilder.pool()
        .with(poolOptions)
        .connectingTo(new PgConnectOptions(connectOptions))
        .using(vertx)
        .build();
  }

  /** The server's pool ({@value #DEFAULT_NAME}) for {@code connectOptions}, sized by {@code cfg.poolSize()}. */
  public static Pool create(Vertx vertx, PgConnectOptions connectOptions, PostgresConfig cfg) {
    return create(vertx, connectOptions, cfg.poolSize(), DEFAULT_NAME);
  }
}
