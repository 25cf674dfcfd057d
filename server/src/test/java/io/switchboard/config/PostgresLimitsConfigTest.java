package io.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.storage.JdbcTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL timeouts: defaults, overrides, refusals, and how the JDBC paths get them. */
class PostgresLimitsConfigTest {
  static final Map<String, String> ENV = Map.of("SWITCHBOARD_TOKEN_HMAC_SECRET", "0123456789abcdef0123456789abcdef");

  @TempDir
  Path dir;

  @Test
  void defaults() {
    PostgresConfig pg = ConfigLoader.load(null, ENV).postgres();
    assertThat(pg.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(pg.statementTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(pg.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(pg.readyTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(pg.waitQueueSize()).isEqualTo(10_000);
    assertThat(pg).isEqualTo(new PostgresConfig("", 8, 256));
  }

  @Test
  void overrides() throws Exception {
    PostgresConfig pg = load("postgres:\n  statement_timeout: 1500ms\n  idle_timeout: 0\n  wait_queue_size: 10\n");
    assertThat(pg.statementTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(pg.idleTimeout()).isZero();
    assertThat(pg.waitQueueSize()).isEqualTo(10);
  }

  @Test
  void refusals() {
    assertThatThrownBy(() -> load("postgres:\n  statement_timeout: 0\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("postgres.statement_timeout");
    assertThatThrownBy(() -> load("postgres:\n  ready_timeout: 2h\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("postgres.ready_timeout").hasMessageContaining("1h");
    assertThatThrownBy(() -> load("postgres:\n  wait_queue_size: 0\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("postgres.wait_queue_size");
    assertThatThrownBy(() -> load("postgres:\n  connect_timeout: soon\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("postgres.connect_timeout");
  }

  @Test
  void jdbcTimeoutsGoIntoTheUrl() {
    JdbcTarget t = new JdbcTarget("jdbc:postgresql://h:5432/db?ApplicationName=x", "u", "secret")
        .withTimeouts(Duration.ofMillis(1500), Duration.ofSeconds(10), Duration.ofSeconds(5));
    assertThat(t.url()).isEqualTo("jdbc:postgresql://h:5432/db?ApplicationName=x&connectTimeout=2&socketTimeout=10"
        + "&options=-c%20statement_timeout%3D5000");
    assertThat(new JdbcTarget("jdbc:postgresql://h/db", "u", "").withTimeouts(Duration.ofSeconds(5),
        Duration.ofSeconds(120), null).url()).isEqualTo("jdbc:postgresql://h/db?connectTimeout=5&socketTimeout=120");
  }

  private PostgresConfig load(String yaml) throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(file, ENV).postgres();
  }
}
