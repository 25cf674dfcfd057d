package io.switchboard.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

/**
 * Run in a child JVM by {@link EmbeddedPostgresLauncherTest}: starts the launcher on {@code args[0]}, writes a row,
 * prints {@code READY <port>} and waits to be killed with SIGKILL, leaving an orphaned postgres behind.
 */
public final class EmbeddedPostgresChild {
  public static void main(String[] args) throws Exception {
    EmbeddedPostgresLauncher launcher = EmbeddedPostgresLauncher.start(Path.of(args[0]), 0, Map.of("fsync", "off"));
    JdbcTarget t = launcher.jdbcTarget();
    try (Connection c = DriverManager.getConnection(t.url(), t.user(), t.password());
         Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS marker (v text)");
      s.execute("INSERT INTO marker VALUES ('written by the crashed run')");
    }
    System.out.println("READY " + launcher.port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
