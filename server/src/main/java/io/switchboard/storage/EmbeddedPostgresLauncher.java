package io.switchboard.storage;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL used when {@code postgres.url} is empty: zonky's binaries, data directory
 * {@code <dataDir>/postgres}, kept across runs.
 *
 * <p><b>Blocking.</b> Everything here blocks (extracting binaries, initdb, process start and stop, JDBC). Call it
 * from the main thread before Vert.x starts, or from a worker; never from an event loop.
 *
 * <p><b>Crash recovery.</b> After a {@code kill -9} of the JVM the postgres server keeps running and its
 * {@code postmaster.pid} stays. {@link #start} notices that (nobody holds the directory's {@code epg-lock} file
 * lock, yet the PID in {@code postmaster.pid} is a postgres serving this directory), stops that orphan with
 * {@code pg_ctl stop -m fast} (or SIGINT, the same fast shutdown, if pg_ctl cannot be run), and then starts
 * normally. A server still used by another live JVM holds the lock, and {@code start} fails instead of stopping it.
 *
 * <p>Unlike zonky's test defaults, fsync and synchronous_commit are on: offsets handed to clients must survive a
 * crash of the machine. Pass {@code serverConfig} to override (tests turn them off).
 */
public final class EmbeddedPostgresLauncher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresLauncher.class);

  public static final String HOST = "localhost";
  public static final String USER = "postgres";
  public static final String PASSWORD = "";
  public static final String DATABASE = "switchboard";
  static final String LOCK_FILE = "epg-lock";
  static final String PID_FILE = "postmaster.pid";
  private static final Duration STOP_WAIT = Duration.ofSeconds(60);

  /** What {@link #stopOrphan} found in a data directory. */
  public enum OrphanCheck { NONE, STALE_PID_FILE_REMOVED, ORPHAN_STOPPED }

  private final EmbeddedPostgres pg;
  private final Path pgDataDir;
  private final OrphanCheck orphanCheck;

  private EmbeddedPostgresLauncher(EmbeddedPostgres pg, Path pgDataDir, OrphanCheck orphanCheck) {
    this.pg = pg;
    this.pgDataDir = pgDataDir;
    this.orphanCheck = orphanCheck;
  }

  /** Starts on a free port with durable settings. Blocking. */
  public static EmbeddedPostgresLauncher start(Path dataDir) throws IOException {
    return start(dataDir, 0, Map.of());
  }

  /**
   * Starts PostgreSQL with data in {@code dataDir/postgres} (created and initdb'ed on first use, reused after),
   * on {@code port} (0 = a free port chosen now), and creates database {@value #DATABASE} if absent. Blocking.
   *
   * @param serverConfig extra {@code postgresql.conf} settings, applied last
   */
  public static EmbeddedPostgresLauncher start(Path dataDir, int port, Map<String, String> serverConfig)
      throws IOException {
    Path pgDir = dataDir.toAbsolutePath().normalize().resolve("postgres");
    Files.createDirectories(pgDir);
    OrphanCheck orphan = stopOrphan(pgDir);
    Map<String, String> config = new LinkedHashMap<>();
    config.put("fsync", "on"); // zonky passes -F (fsync off); a later -c wins
    config.put("synchronous_commit", "on");
    config.put("max_connections", "200");
    // Server logs go to files in the data directory, not to our stdout: after a JVM crash the orphan would
    // otherwise write into a dead pipe.
    config.put("logging_collector", "on");
    config.put("log_directory", "log");
    config.putAll(serverConfig);
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(pgDir.toFile())
        .setCleanDataDirectory(false)
        .setPort(port)
        .setPGStartupWait(Duration.ofSeconds(60));
    config.forEach(builder::setServerConfig);
    EmbeddedPostgres pg = builder.start();
    EmbeddedPostgresLauncher launcher = new EmbeddedPostgresLauncher(pg, pgDir, orphan);
    try {
      launcher.createDatabaseIfAbsent(DATABASE);
    } catch (RuntimeException e) {
      launcher.close();
      throw e;
    }
    LOG.info("Embedded PostgreSQL ready on port {} with data in {}", pg.getPort(), pgDir);
    return launcher;
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return pg.getPort();
  }

  public String user() {
    return USER;
  }

  public String password() {
    return PASSWORD;
  }

  public String database() {
    return DATABASE;
  }

  /** The PostgreSQL data directory ({@code <dataDir>/postgres}). */
  public Path pgDataDirectory() {
    return pgDataDir;
  }

  /** What was found and done about a previous run when this launcher started. */
  public OrphanCheck orphanCheck() {
    return orphanCheck;
  }

  /** {@code postgresql://postgres@localhost:PORT/switchboard}, for {@link PgUrl#parse}. */
  public String url() {
    return url(DATABASE);
  }

  /** The URL of another database on this server. */
  public String url(String database) {
    return "postgresql://" + USER + "@" + HOST + ":" + port() + "/" + database;
  }

  public JdbcTarget jdbcTarget() {
    return jdbcTarget(DATABASE);
  }

  public JdbcTarget jdbcTarget(String database) {
    return new JdbcTarget("jdbc:postgresql://" + HOST + ":" + port() + "/" + database, USER, PASSWORD);
  }

  /** Creates {@code database} unless it exists. Blocking. */
  public void createDatabaseIfAbsent(String database) {
    if (!database.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("unsupported database name: " + database);
    }
    JdbcTarget admin = jdbcTarget("postgres");
    try (Connection c = DriverManager.getConnection(admin.url(), admin.user(), admin.password())) {
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        ps.setString(1, database);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return;
          }
        }
      }
      try (Statement st = c.createStatement()) {
        st.execute("CREATE DATABASE \"" + database + "\"");
      } catch (SQLException e) {
        if (!"42P04".equals(e.getSQLState())) { // duplicate_database: someone else made it meanwhile
          throw e;
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + database + ": " + e.getMessage(), e);
    }
  }

  /** Stops PostgreSQL (pg_ctl stop -m fast). Blocking. Idempotent. */
  @Override
  public void close() {
    try {
      pg.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Looks for a leftover of a crashed run in a PostgreSQL data directory and clears it: a postgres still serving
   * the directory is stopped; a {@code postmaster.pid} whose process is gone (or is not that postgres) is deleted.
   * Fails if another live process holds the directory's lock. Blocking.
   */
  public static OrphanCheck stopOrphan(Path pgDir) throws IOException {
    Path pidFile = pgDir.resolve(PID_FILE);
    if (!Files.exists(pidFile)) {
      return OrphanCheck.NONE;
    }
    Path lockFile = pgDir.resolve(LOCK_FILE);
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        throw new IllegalStateException("PostgreSQL data directory " + pgDir + " is in use by this process");
      }
      if (lock == null) {
        throw new IllegalStateException("PostgreSQL data directory " + pgDir + " is in use by another process");
      }
      try {
        return clearLeftover(pgDir, pidFile);
      } finally {
        lock.release();
      }
    }
  }

  private static OrphanCheck clearLeftover(Path pgDir, Path pidFile) throws IOException {
    long pid = readPid(pidFile);
    Optional<ProcessHandle> proc = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
    if (proc.isEmpty() || !isPostgresServing(proc.get(), pgDir)) {
      LOG.warn("Removing stale {} (pid {} is not a running postgres for {})", pidFile, pid, pgDir);
      Files.deleteIfExists(pidFile);
      return OrphanCheck.STALE_PID_FILE_REMOVED;
    }
    ProcessHandle orphan = proc.get();
    LOG.warn("Found an orphaned PostgreSQL (pid {}) serving {}, left by a previous run; stopping it", pid, pgDir);
    boolean stopped = pgCtlStop(orphan, pgDir);
    if (!stopped && !signal("INT", pid)) {
      LOG.warn("pg_ctl stop and kill -INT did not work; sending SIGTERM to pid {}", pid);
      orphan.destroy(); // SIGTERM: smart shutdown; the dead JVM's sessions are already gone
    }
    long deadline = System.nanoTime() + STOP_WAIT.toNanos();
    while (Files.exists(pidFile) && isRunning(orphan) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while stopping orphaned PostgreSQL pid " + pid, e);
      }
    }
    if (isRunning(orphan)) {
      throw new IllegalStateException("orphaned PostgreSQL pid " + pid + " serving " + pgDir
          + " did not stop within " + STOP_WAIT.toSeconds() + "s; stop it by hand");
    }
    // A postmaster that exits removes its pid file; one killed hard may not have.
    Files.deleteIfExists(pidFile);
    return OrphanCheck.ORPHAN_STOPPED;
  }

  private static long readPid(Path pidFile) throws IOException {
    try {
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      return lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException | NoSuchFileException e) {
      return -1;
    }
  }

  private static boolean pgCtlStop(ProcessHandle orphan, Path pgDir) {
    Optional<Path> pgCtl = orphan.info().command().map(c -> Path.of(c).resolveSibling("pg_ctl"))
        .filter(Files::isExecutable);
    if (pgCtl.isEmpty()) {
      LOG.warn("No pg_ctl next to the executable of pid {} ({})", orphan.pid(), orphan.info().command());
      return false;
    }
    List<String> command = new ArrayList<>();
    if (LinuxUtils.isUnshareAvailable()) {
      // pg_ctl refuses to run as root; zonky runs its commands in a user namespace in that case, so do we.
      command.addAll(List.of("unshare", "-U"));
    }
    command.addAll(List.of(pgCtl.get().toString(), "stop", "-D", pgDir.toString(), "-m", "fast", "-w",
        "-t", Long.toString(STOP_WAIT.toSeconds())));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(STOP_WAIT.toSeconds() + 5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      if (p.exitValue() != 0) {
        LOG.warn("pg_ctl stop exited with {}: {}", p.exitValue(), out);
        return false;
      }
      return true;
    } catch (IOException e) {
      LOG.warn("Could not run {}: {}", pgCtl.get(), e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** {@code kill -SIG pid}; SIGINT is PostgreSQL's fast shutdown, which Java cannot send itself. */
  private static boolean signal(String sig, long pid) {
    LOG.warn("Sending SIG{} to pid {}", sig, pid);
    try {
      Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** True if {@code p} is a live (not zombie) postgres whose command line names {@code pgDir}. */
  static boolean isPostgresServing(ProcessHandle p, Path pgDir) {
    if (!isRunning(p)) {
      return false;
    }
    Path proc = Path.of("/proc", Long.toString(p.pid()));
    if (Files.isDirectory(proc)) {
      try {
        String comm = Files.readString(proc.resolve("comm"), StandardCharsets.UTF_8).trim();
        if (!comm.equals("postgres")) {
          return false;
        }
        String cmdline = Files.readString(proc.resolve("cmdline"), StandardCharsets.UTF_8).replace('\0', ' ');
        return cmdline.contains(pgDir.toString()) || cmdline.contains(realPath(pgDir));
      } catch (IOException e) {
        // fall through to the portable check
      }
    }
    return p.info().command().map(c -> c.endsWith("/postgres") || c.equals("postgres")).orElse(false);
  }

  /** Alive and not a zombie (an orphan's parent may never reap it). */
  static boolean isRunning(ProcessHandle p) {
    if (!p.isAlive()) {
      return false;
    }
    Path stat = Path.of("/proc", Long.toString(p.pid()), "stat");
    try {
      String s = Files.readString(stat, StandardCharsets.UTF_8);
      int close = s.lastIndexOf(')');
      return close < 0 || close + 2 >= s.length() || s.charAt(close + 2) != 'Z';
    } catch (IOException e) {
      return p.isAlive();
    }
  }

  private static String realPath(Path p) {
    try {
      return p.toRealPath().toString();
    } catch (IOException e) {
      return p.toString();
    }
  }
}
