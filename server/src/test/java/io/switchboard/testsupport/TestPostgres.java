package io.switchboard.testsupport;

import io.switchboard.storage.EmbeddedPostgresLauncher;
import io.switchboard.storage.JdbcTarget;
import io.switchboard.storage.MigrationVerticle;
import io.switchboard.storage.PgPools;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One embedded PostgreSQL per test JVM, started lazily in a temporary directory (removed at exit), and a fresh
 * database per caller:
 *
 * <pre>{@code
 * static TestPostgres.Db db = TestPostgres.freshDatabase();       // CREATE DATABASE test_<random>, migrated
 * Pool pool = db.pool(vertx);                                     // reactive pool on it (unique name)
 * PgConnectOptions opts = db.connectOptions();                    // or a copy of the options
 * String url = db.url();                                          // postgresql://postgres@localhost:PORT/test_x
 * JdbcTarget jdbc = db.jdbc();                                    // for JDBC checks in tests
 * }</pre>
 *
 * The server runs with fsync and synchronous_commit off (tests need speed, not crash safety). All methods block:
 * call them from the JUnit thread, never from an event loop.
 */
public final class TestPostgres {
  private static final AtomicInteger POOLS = new AtomicInteger();
  private static EmbeddedPostgresLauncher launcher;
  private static Path baseDir;

  private TestPostgres() {}

  /** A database on the shared server, migrated through {@link MigrationVerticle#migrate}. */
  public record Db(String name, String host, int port, String user, String password,
                   MigrationVerticle.Report migration) {

    /** A new copy each call (the options are mutable): cached prepared statements, default pipelining. */
    public PgConnectOptions connectOptions() {
      return new PgConnectOptions().setHost(host).setPort(port).setDatabase(name).setUser(user)
          .setPassword(password).setCachePreparedStatements(true);
    }

    public String url() {
      return "postgresql://" + user + "@" + host + ":" + port + "/" + name;
    }

    public String jdbcUrl() {
      return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    public JdbcTarget jdbc() {
      return new JdbcTarget(jdbcUrl(), user, password);
    }

    /** A pool of 4 connections with a unique name, so that two calls give two pools. Close it when done. */
    public Pool pool(Vertx vertx) {
      return pool(vertx, 4);
    }

    public Pool pool(Vertx vertx, int size) {
      return PgPools.create(vertx, connectOptions(), size, "test-" + name + "-" + POOLS.incrementAndGet());
    }
  }

  /** The shared server, started on first use. */
  public static synchronized EmbeddedPostgresLauncher server() {
    if (launcher == null) {
      try {
        baseDir = Files.createTempDirectory("switchboard-test-pg");
        launcher = EmbeddedPostgresLauncher.start(baseDir, 0,
            Map.of("fsync", "off", "synchronous_commit", "off", "full_page_writes", "off",
                "logging_collector", "off"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::shutdown, "test-postgres-shutdown"));
    }
    return launcher;
  }

  /** A new, empty, unmigrated database. */
  public static Db freshEmptyDatabase() {
    EmbeddedPostgresLauncher server = server();
    String name = "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    server.createDatabaseIfAbsent(name);
    return new Db(name, server.host(), server.port(), server.user(), server.password(), null);
  }

  /** A new database with all migrations applied (through the migration worker verticle). */
  public static Db freshDatabase() {
    Db empty = freshEmptyDatabase();
    Vertx vertx = Vertx.vertx();
    try {
      MigrationVerticle.Report report = MigrationVerticle.migrate(vertx, empty.jdbc()).await(2, TimeUnit.MINUTES);
      return new Db(empty.name(), empty.host(), empty.port(), empty.user(), empty.password(), report);
    } catch (Exception e) {
      throw new IllegalStateException("migrating test database " + empty.name() + " failed", e);
    } finally {
      vertx.close().await();
    }
  }

  private static synchronized void shutdown() {
    if (launcher == null) {
      return;
    }
    try {
      launcher.close();
    } catch (RuntimeException ignored) {
      // best effort at JVM exit
    }
    // zonky's own shutdown hook may be stopping the server concurrently; wait for the pid file to go.
    Path pid = launcher.pgDataDirectory().resolve("postmaster.pid");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (Files.exists(pid) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
    deleteRecursively(baseDir);
  }

  /** Deletes a directory tree, ignoring errors (test clean-up). */
  public static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }
}
