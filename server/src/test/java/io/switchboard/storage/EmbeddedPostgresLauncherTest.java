package io.switchboard.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.storage.EmbeddedPostgresLauncher.OrphanCheck;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresLauncherTest {

  @Test
  void dataSurvivesAStopAndStartWithDurableSettings(@TempDir Path dataDir) throws Exception {
    try (EmbeddedPostgresLauncher pg = EmbeddedPostgresLauncher.start(dataDir)) {
      assertThat(pg.pgDataDirectory()).isEqualTo(dataDir.toAbsolutePath().resolve("postgres"));
      assertThat(pg.orphanCheck()).isEqualTo(OrphanCheck.NONE);
      assertThat(pg.url()).isEqualTo("postgresql://postgres@localhost:" + pg.port() + "/switchboard");
      assertThat(PgUrl.parse(pg.url()).jdbc()).isEqualTo(pg.jdbcTarget());
      assertThat(query(pg.jdbcTarget(), "SHOW fsync")).containsExactly("on");
      assertThat(query(pg.jdbcTarget(), "SHOW synchronous_commit")).containsExactly("on");
      execute(pg.jdbcTarget(), "CREATE TABLE kept (v text)", "INSERT INTO kept VALUES ('still here')");
    }
    assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();
    try (EmbeddedPostgresLauncher pg = EmbeddedPostgresLauncher.start(dataDir)) {
      assertThat(pg.orphanCheck()).isEqualTo(OrphanCheck.NONE);
      assertThat(query(pg.jdbcTarget(), "SELECT v FROM kept")).containsExactly("still here");
    }
  }

  @Test
  void aLiveServerIsNotTakenForAnOrphan(@TempDir Path dataDir) throws Exception {
    try (EmbeddedPostgresLauncher pg = EmbeddedPostgresLauncher.start(dataDir, 0, Map.of("fsync", "off"))) {
      assertThatThrownBy(() -> EmbeddedPostgresLauncher.stopOrphan(pg.pgDataDirectory()))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use");
      assertThat(query(pg.jdbcTarget(), "SELECT 1")).containsExactly("1");
    }
  }

  @Test
  void stalePidFileOfAnotherProcessIsRemoved(@TempDir Path dataDir) throws Exception {
    Path pgDir;
    try (EmbeddedPostgresLauncher pg = EmbeddedPostgresLauncher.start(dataDir, 0, Map.of("fsync", "off"))) {
      pgDir = pg.pgDataDirectory();
    }
    // A pid file left by a crash whose pid now belongs to an unrelated live process (this JVM).
    Files.writeString(pgDir.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + pgDir + "\n");
    try (EmbeddedPostgresLauncher pg = EmbeddedPostgresLauncher.start(dataDir, 0, Map.of("fsync", "off"))) {
      assertThat(pg.orphanCheck()).isEqualTo(OrphanCheck.STALE_PID_FILE_REMOVED);
      assertThat(query(pg.jdbcTarget(), "SELECT 1")).containsExactly("1");
    }
  }

  @Test
  void orphanOfAKilledJvmIsStoppedAndTheServerComesBack(@TempDir Path dataDir) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        EmbeddedPostgresChild.class.getName(), dataDir.toString())
        .redirectErrorStream(true)
        .start();
    CompletableFuture<String> ready = new CompletableFuture<>();
    List<String> output = new ArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (output) {
            output.add(line);
          }
          if (line.startsWith("READY ")) {
            ready.complete(line);
          }
        }
        ready.completeExceptionally(new IllegalStateException("child exited: " + output));
      } catch (Exception e) {
        ready.completeExceptionally(e);
      }
    }, "child-output");
    reader.setDaemon(true);
    reader.start();
    long orphanPid;
    try {
      ready.get(2, TimeUnit.MINUTES);
      Path pidFile = dataDir.resolve("postgres/postmaster.pid");
      orphanPid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, postgres is left running
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    Path pgDir = dataDir.toAbsolutePath().resolve("postgres");
    ProcessHandle orphan = ProcessHandle.of(orphanPid).orElseThrow();
    assertThat(EmbeddedPostgresLauncher.isPostgresServing(orphan, pgDir)).as("orphan still running").isTrue();
    assertThat(pgDir.resolve("postmaster.pid")).exists();

    try (EmbeddedPostgresLauncher pg = EmbeddedPostgresLauncher.start(dataDir, 0, Map.of("fsync", "off"))) {
      assertThat(pg.orphanCheck()).isEqualTo(OrphanCheck.ORPHAN_STOPPED);
      assertThat(EmbeddedPostgresLauncher.isRunning(orphan)).isFalse();
      long newPid = Long.parseLong(Files.readAllLines(pgDir.resolve("postmaster.pid")).get(0).trim());
      assertThat(newPid).isNotEqualTo(orphanPid);
      assertThat(query(pg.jdbcTarget(), "SELECT v FROM marker")).containsExactly("written by the crashed run");
    } finally {
      if (EmbeddedPostgresLauncher.isRunning(orphan)) {
        orphan.destroy();
      }
    }
  }

  private static void execute(JdbcTarget t, String... sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(t.url(), t.user(), t.password()); Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  private static List<String> query(JdbcTarget t, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(t.url(), t.user(), t.password());
         Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
