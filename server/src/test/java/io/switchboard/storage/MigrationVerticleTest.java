package io.switchboard.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.testsupport.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MigrationVerticleTest {
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  void migratesOnTheMigrationWorkerNotAnEventLoop() throws Exception {
    TestPostgres.Db db = TestPostgres.freshEmptyDatabase();
    MigrationVerticle.Report report = MigrationVerticle.migrate(vertx, db.jdbc()).await(2, TimeUnit.MINUTES);
    assertThat(report.thread()).startsWith(MigrationVerticle.POOL_NAME).doesNotStartWith("vert.x-eventloop-thread");
    assertThat(report.migrationsExecuted()).isGreaterThanOrEqualTo(1);
    assertThat(report.schemaVersion()).isNotBlank();
    assertThat(vertx.deploymentIDs()).isEmpty();

    Pool pool = db.pool(vertx);
    try {
      List<String> tables = pool.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
          .execute().await(30, TimeUnit.SECONDS).stream().map(r -> r.getString(0)).toList();
      assertThat(tables).contains("streams", "publications", "read_positions");
      Row idx = pool.query("SELECT count(*) FROM pg_indexes WHERE indexname = 'publications_idempotency_key'")
          .execute().await(30, TimeUnit.SECONDS).iterator().next();
      assertThat(idx.getLong(0)).isEqualTo(1);
    } finally {
      pool.close().await();
    }

    MigrationVerticle.Report again = MigrationVerticle.migrate(vertx, db.jdbc()).await(2, TimeUnit.MINUTES);
    assertThat(again.migrationsExecuted()).isZero();
    assertThat(again.schemaVersion()).isEqualTo(report.schemaVersion());
  }

  @Test
  void freshDatabaseWasMigratedTheSameWay() {
    assertThat(TestPostgres.freshDatabase().migration().thread()).startsWith(MigrationVerticle.POOL_NAME);
  }

  @Test
  void deploymentFailsWhenMigrationFails() {
    TestPostgres.Db db = TestPostgres.freshEmptyDatabase();
    JdbcTarget missing = new JdbcTarget(db.jdbcUrl() + "_does_not_exist", db.user(), db.password());
    assertThatThrownBy(() -> MigrationVerticle.migrate(vertx, missing, 0).await(2, TimeUnit.MINUTES))
        .hasMessageContaining("database migration failed");
    assertThat(vertx.deploymentIDs()).isEmpty();
  }
}
