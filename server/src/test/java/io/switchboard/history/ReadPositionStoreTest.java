package io.switchboard.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.model.Publication;
import io.switchboard.testsupport.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReadPositionStoreTest {
  private static Vertx vertx;
  private static Pool pool;
  private static PgHistoryStore history;
  private static ReadPositionStore positions;

  @BeforeAll
  static void setUp() {
    TestPostgres.Db db = TestPostgres.freshDatabase();
    vertx = Vertx.vertx();
    pool = db.pool(vertx);
    history = new PgHistoryStore(pool);
    positions = new ReadPositionStore(pool);
  }

  @AfterAll
  static void tearDown() {
    pool.close().await();
    vertx.close().await();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }

  private static void publish(String channel, int n) throws Exception {
    await(history.append(channel, IntStream.range(0, n)
        .mapToObj(i -> new Publication(channel, 0, "{}", null, Map.of())).toList()));
  }

  @Test
  void markReadNeverMovesBackwards() throws Exception {
    assertThat(await(positions.markRead("ann", "dm:1", 5))).isEqualTo(5);
    assertThat(await(positions.markRead("ann", "dm:1", 3))).isEqualTo(5);
    assertThat(await(positions.markRead("ann", "dm:1", 5))).isEqualTo(5);
    assertThat(await(positions.markRead("ann", "dm:1", 7))).isEqualTo(7);
    assertThat(await(positions.markRead("bob", "dm:1", 2))).isEqualTo(2);
    assertThat(await(positions.readPositions("ann", List.of("dm:1", "dm:none"))))
        .containsExactly(Map.entry("dm:1", 7L), Map.entry("dm:none", 0L));
    assertThat(await(positions.readPositions("bob", List.of("dm:1")))).containsExactly(Map.entry("dm:1", 2L));
  }

  @Test
  void concurrentMarksKeepTheMaximum() throws Exception {
    List<Future<Long>> futures = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      futures.add(positions.markRead("carl", "chat:race", (i * 7L) % 31));
    }
    await(Future.all(futures));
    assertThat(await(positions.readPositions("carl", List.of("chat:race")))).containsEntry("chat:race", 30L);
  }

  @Test
  void unreadCountsPublicationsAfterTheReadPosition() throws Exception {
    publish("chat:u1", 10);
    publish("chat:u2", 4);
    publish("chat:u3", 2);
    await(positions.markRead("dora", "chat:u1", 7));
    await(positions.markRead("dora", "chat:u3", 9)); // beyond the top: clamps at 0
    await(positions.markRead("eve", "chat:u1", 1));

    Map<String, Long> unread = await(positions.unread("dora", List.of("chat:u1", "chat:u2", "chat:u3", "chat:none")));
    assertThat(unread).containsExactly(Map.entry("chat:u1", 3L), Map.entry("chat:u2", 4L), Map.entry("chat:u3", 0L),
        Map.entry("chat:none", 0L));
    assertThat(await(positions.unread("eve", List.of("chat:u1")))).containsExactly(Map.entry("chat:u1", 9L));

    publish("chat:u1", 2);
    assertThat(await(positions.unread("dora", List.of("chat:u1")))).containsEntry("chat:u1", 5L);
    // Removing history keeps the top, so the count is about offsets, not rows.
    await(history.removeHistory("chat:u1"));
    assertThat(await(positions.unread("dora", List.of("chat:u1")))).containsEntry("chat:u1", 5L);
    assertThat(await(positions.unread("dora", List.of()))).isEmpty();
  }
}
