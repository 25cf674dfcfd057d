package io.switchboard.storage;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Flyway migrations ({@code classpath:db/migration}) over JDBC. Blocking-adapter pattern: it is a
 * {@link ThreadingModel#WORKER} verticle on its own bounded pool ({@value #POOL_NAME}, one thread), so the JDBC
 * calls never run on an event loop. Deploying it migrates; the deployment fails if a migration fails.
 *
 * <p>Use {@link #migrate(Vertx, JdbcTarget)}, which deploys, waits and undeploys.
 */
public final class MigrationVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MigrationVerticle.class);
  public static final String POOL_NAME = "switchboard-migrations";
  public static final String LOCATION = "classpath:db/migration";

  /** What a migration run did, and on which thread (tests check it was not an event loop). */
  public record Report(int migrationsExecuted, String schemaVersion, String thread) {}

  public static final int DEFAULT_CONNECT_RETRIES = 3;
  /**
   * How long a migration's JDBC read may wait for PostgreSQL before the start fails, rather than blocking for
   * ever on a hung server: as long as the node gives any start step (a longer migration fails the start anyway).
   */
  public static final java.time.Duration SOCKET_TIMEOUT = java.time.Duration.ofSeconds(120);

  private final JdbcTarget target;
  private final int connectRetries;
  private volatile Report report;

  public MigrationVerticle(JdbcTarget target) {
    this(target, DEFAULT_CONNECT_RETRIES);
  }

  /** {@code connectRetries}: how often Flyway retries a failed connect (with growing pauses) before failing. */
  public MigrationVerticle(JdbcTarget target, int connectRetries) {
    this.target = target;
    this.connectRetries = connectRetries;
  }

  /** Deployment options that make this a worker on its own one-thread pool. */
  public static DeploymentOptions deploymentOptions() {
    return new DeploymentOptions()
        .setThreadingModel(ThreadingModel.WORKER)
        .setWorkerPoolName(POOL_NAME)
        .setWorkerPoolSize(1)
        .setMaxWorkerExecuteTime(10)
        .setMaxWorkerExecuteTimeUnit(TimeUnit.MINUTES);
  }

  /** Migrates {@code target}: deploys a MigrationVerticle, waits for it, undeploys it. */
  public static Future<Report> migrate(Vertx vertx, JdbcTarget target) {
    return migrate(vertx, target, DEFAULT_CONNECT_RETRIES);
  }

  /** As {@link #migrate(Vertx, JdbcTarget)}, with Flyway's connect retries chosen. */
  public static Future<Report> migrate(Vertx vertx, JdbcTarget target, int connectRetries) {
    MigrationVerticle verticle = new MigrationVerticle(target, connectRetries);
    return vertx.deployVerticle(verticle, deploymentOptions())
        .compose(id -> vertx.undeploy(id).map(v -> verticle.report));
  }

  @Override
  public Future<?> start() {
    // A worker verticle's start() runs on a thread of POOL_NAME: blocking here is what it is for.
    try {
      Flyway flyway = Flyway.configure(MigrationVerticle.class.getClassLoader())
          .dataSource(target.url(), target.user(), target.password())
          .locations(LOCATION)
          .connectRetries(connectRetries)
          .load();
      MigrateResult result = flyway.migrate();
      // targetSchemaVersion is null when nothing was pending; ask for the current version instead.
      MigrationInfo current = flyway.info().current();
      String version = current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
      report = new Report(result.migrationsExecuted, version, Thread.currentThread().getName());
      LOG.info("Database migrations: {} executed, schema version {} ({})", result.migrationsExecuted, version,
          target.url());
      return Future.succeededFuture();
    } catch (RuntimeException e) {
      return Future.failedFuture(new IllegalStateException("database migration failed for " + target.url() + ": "
          + e.getMessage(), e));
    }
  }

  /** The result once deployed; null before. */
  public Report report() {
    return report;
  }
}
