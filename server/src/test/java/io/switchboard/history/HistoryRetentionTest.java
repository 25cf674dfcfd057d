package io.switchboard.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.model.Publication;
import io.switchboard.model.StreamPosition;
import io.switchboard.testsupport.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HistoryRetentionTest {
  private static Vertx vertx;
  private static Pool pool;
  private static PgHistoryStore history;
  private static HistoryRetention retention;

  @BeforeAll
  static void setUp() {
    TestPostgres.Db db = TestPostgres.freshDatabase();
    vertx = Vertx.vertx();
    pool = db.pool(vertx);
    history = new PgHistoryStore(pool);
    retention = new HistoryRetention(pool, 3); // small batches: exercises the loop
  }

  @AfterAll
  static void tearDown() {
    pool.close().await();
    vertx.close().await();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }

  private static StreamPosition publish(String channel, int n) throws Exception {
    return await(history.append(channel, IntStream.range(0, n)
        .mapToObj(i -> new Publication(channel, 0, "{}", null, Map.of())).toList())).top();
  }

  private static List<Long> offsets(String channel) throws Exception {
    return await(history.read(channel, 0, 1000, false)).publications().stream().map(Publication::offset).toList();
  }

  @Test
  void trimChannelKeepsTheNewestHistorySize() throws Exception {
    StreamPosition top = publish("chat:keep", 20);
    assertThat(await(retention.trimChannel("chat:keep", 5, Duration.ZERO))).isEqualTo(15);
    assertThat(offsets("chat:keep")).containsExactly(16L, 17L, 18L, 19L, 20L);
    assertThat(await(retention.trimChannel("chat:keep", 5, Duration.ZERO))).isZero();
    assertThat(await(history.position("chat:keep"))).isEqualTo(top);
  }

  @Test
  void trimNamespaceTouchesOnlyItsChannels() throws Exception {
    publish("ns1:a", 7);
    publish("ns1:b", 2);
    publish("ns1x:c", 7);
    publish("plain", 7);
    assertThat(await(retention.trimNamespace("ns1", 2, Duration.ZERO))).isEqualTo(5);
    assertThat(offsets("ns1:a")).containsExactly(6L, 7L);
    assertThat(offsets("ns1:b")).containsExactly(1L, 2L);
    assertThat(offsets("ns1x:c")).hasSize(7);
    assertThat(offsets("plain")).hasSize(7);

    assertThat(await(retention.trimNamespace("", 3, Duration.ZERO))).isEqualTo(4);
    assertThat(offsets("plain")).containsExactly(5L, 6L, 7L);
    assertThat(offsets("ns1x:c")).hasSize(7);
  }

  @Test
  void trimByAgeDropsOldRowsOnly() throws Exception {
    publish("age:a", 6);
    publish("age:b", 2);
    // Age offsets 1..4 of age:a and all of age:b by two hours.
    await(pool.preparedQuery("UPDATE publications SET created_at = now() - interval '2 hours' "
        + "WHERE (channel = 'age:a' AND \"offset\" <= 4) OR channel = 'age:b'").execute(Tuple.tuple()));
    assertThat(await(retention.trimChannel("age:a", 100, Duration.ofHours(3)))).isZero();
    assertThat(await(retention.trimChannel("age:a", 100, Duration.ofHours(1)))).isEqualTo(4);
    assertThat(offsets("age:a")).containsExactly(5L, 6L);
    assertThat(await(retention.trimNamespace("age", 100, Duration.ofHours(1)))).isEqualTo(2);
    assertThat(offsets("age:b")).isEmpty();
    assertThat(await(history.position("age:b")).offset()).isEqualTo(2);
  }

  @Test
  void apiIdempotencyKeysExpireAfterTheirTtlOnly() throws Exception {
    for (int i = 0; i < 7; i++) {
      await(pool.preparedQuery("INSERT INTO api_idempotency (method, idempotency_key, response, created_at) "
          + "VALUES ('notify', $1, '{}', now() - make_interval(hours => $2))")
          .execute(Tuple.of("key-" + i, i < 5 ? 25 : 1)));
    }
    assertThat(await(retention.expireApiKeys(Duration.ofHours(24)))).isEqualTo(5); // batches of 3: loops
    assertThat(await(pool.query("SELECT idempotency_key FROM api_idempotency ORDER BY 1").execute())
        .iterator().next().getString(0)).isEqualTo("key-5");
    assertThat(await(pool.query("SELECT count(*) FROM api_idempotency").execute()).iterator().next().getLong(0))
        .isEqualTo(2L);
  }
}
