package io.switchboard.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.config.ConfigException;
import io.switchboard.config.PostgresConfig;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import org.junit.jupiter.api.Test;

class PgUrlTest {

  @Test
  void parsesAFullUrl() {
    PgUrl u = PgUrl.parse("postgresql://chat:s3cr%40t@db.example.com:6543/switchboard?sslmode=require&application_name=sb");
    assertThat(u.host()).isEqualTo("db.example.com");
    assertThat(u.port()).isEqualTo(6543);
    assertThat(u.user()).isEqualTo("chat");
    assertThat(u.password()).isEqualTo("s3cr@t");
    assertThat(u.database()).isEqualTo("switchboard");
    assertThat(u.toString()).doesNotContain("s3cr");

    PgConnectOptions o = u.connectOptions(64);
    assertThat(o.getHost()).isEqualTo("db.example.com");
    assertThat(o.getPort()).isEqualTo(6543);
    assertThat(o.getUser()).isEqualTo("chat");
    assertThat(o.getPassword()).isEqualTo("s3cr@t");
    assertThat(o.getDatabase()).isEqualTo("switchboard");
    assertThat(o.getCachePreparedStatements()).isTrue();
    assertThat(o.getPipeliningLimit()).isEqualTo(64);
    assertThat(o.getSslMode()).isEqualTo(SslMode.REQUIRE);
    assertThat(o.getProperties()).containsEntry("application_name", "sb");

    JdbcTarget j = u.jdbc();
    assertThat(j.url()).isEqualTo("jdbc:postgresql://db.example.com:6543/switchboard?sslmode=require&ApplicationName=sb");
    assertThat(j.user()).isEqualTo("chat");
    assertThat(j.password()).isEqualTo("s3cr@t");
    assertThat(j.toString()).doesNotContain("s3cr");
  }

  @Test
  void defaultsAndShortScheme() {
    PgUrl u = PgUrl.parse("postgres://alice@localhost");
    assertThat(u.port()).isEqualTo(5432);
    assertThat(u.database()).isEqualTo("alice");
    assertThat(u.password()).isEmpty();
    assertThat(u.jdbc().url()).isEqualTo("jdbc:postgresql://localhost:5432/alice");

    PgUrl v6 = PgUrl.parse("postgresql://bob:pw@[::1]:5433/db");
    assertThat(v6.host()).isEqualTo("::1");
    assertThat(v6.jdbc().url()).isEqualTo("jdbc:postgresql://[::1]:5433/db");

    PgConnectOptions o = PgUrl.connectOptions(new PostgresConfig("postgresql://u:p@h:1/d", 8, 256));
    assertThat(o.getPipeliningLimit()).isEqualTo(256);
    assertThat(o.getCachePreparedStatements()).isTrue();
  }

  @Test
  void badUrlsNameTheKeyAndNeverTheirPassword() {
    String[] bad = {
        "",
        "mysql://u:hunter2@h/db",
        "postgresql://u:hunter2@/db",
        "postgresql://:hunter2@h/db",
        "postgresql://u:hunter2@h:99999/db",
        "postgresql://u:hunter2@h/db?sslmode=sometimes",
        "postgresql://u:hunter2@h/db?foo=bar",
        "postgresql://u:hunter2@h/db?x=%zz",
        "postgresql://u:hunter2 x@h/db",
        "postgresql://u:hunter2@h@h/db",
    };
    for (String url : bad) {
      assertThatThrownBy(() -> PgUrl.parse(url)).as(url)
          .isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.key()).isEqualTo("postgres.url");
            assertThat(e.getMessage()).startsWith("postgres.url: ").doesNotContain("hunter2");
            assertThat(e.getCause()).isNull();
          });
    }
  }
}
