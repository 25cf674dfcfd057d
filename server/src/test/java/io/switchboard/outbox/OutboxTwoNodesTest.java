package io.switchboard.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.model.Publication;
import io.switchboard.testsupport.TestPostgres;
import io.switchboard.testsupport.TestServer;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes ingest one outbox (same database): every row is stored once, offsets are gap-free and each
 * writer's rows keep their order. The short poll interval is also the fallback tested here: rows inserted
 * without firing the trigger (no NOTIFY) are still published.
 */
class OutboxTwoNodesTest {
  static TestServer first;
  static TestServer second;
  static OutboxApp app;

  @BeforeAll
  static void start() throws Exception {
    String yaml = """
        outbox:
          poll_interval: 300ms
          batch_size: 20
        """;
    TestPostgres.Db db = TestPostgres.freshDatabase();
    first = TestServer.start(yaml, db, TestServer.freePort());
    second = TestServer.start(yaml, db, TestServer.freePort());
    app = new OutboxApp(db);
  }

  @AfterAll
  static void stop() {
    second.close();
    first.close();
  }

  static List<Publication> history(String channel) throws Exception {
    return first.node.parts().history().read(channel, 0, 10_000, false)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).publications();
  }

  @Test
  void twoNodesPublishEachRowExactlyOnceInOrder() throws Exception {
    String ch = "chat:outbox-two-nodes";
    int writers = 3;
    int txPerWriter = 20;
    int rowsPerTx = 5;
    int total = writers * txPerWriter * rowsPerTx;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(pool.submit(() -> {
          int seq = 0;
          for (int t = 0; t < txPerWriter; t++) {
            try (Connection tx = app.begin()) {
              for (int r = 0; r < rowsPerTx; r++) {
                OutboxApp.insert(tx, ch, new JsonObject().put("w", writer).put("s", seq++).encode(), null, null);
              }
              tx.commit();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    OutboxApp.await("all rows are published", () -> app.count(
        "SELECT count(*) FROM switchboard_outbox WHERE channel = ? AND published_at IS NOT NULL", ch) == total);
    List<Publication> stored = history(ch);
    assertThat(stored).extracting(Publication::offset)
        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, total).boxed().toList());
    Map<Integer, Integer> last = new HashMap<>();
    for (Publication p : stored) {
      JsonObject d = new JsonObject(p.dataText());
      assertThat(d.getInteger("s")).isGreaterThan(last.getOrDefault(d.getInteger("w"), -1));
      last.put(d.getInteger("w"), d.getInteger("s"));
    }
    assertThat(last.values()).containsOnly(txPerWriter * rowsPerTx - 1);
    assertThat(app.count("SELECT count(DISTINCT publish_offset) FROM switchboard_outbox WHERE channel = ?", ch))
        .isEqualTo(total);
  }

  @Test
  void thePollPublishesRowsWhoseNotificationNeverCame() throws Exception {
    String ch = "chat:outbox-poll";
    try (Connection tx = app.begin()) {
      try (Statement s = tx.createStatement()) {
        s.execute("SET LOCAL session_replication_role = replica"); // ordinary triggers don't fire: no NOTIFY
      }
      OutboxApp.insert(tx, ch, "{\"via\":\"poll\"}", null, null);
      tx.commit();
    }
    OutboxApp.await("the poll publishes the row", () -> app.count(
        "SELECT count(*) FROM switchboard_outbox WHERE channel = ? AND published_at IS NOT NULL", ch) == 1);
    assertThat(history(ch)).extracting(p -> new JsonObject(p.dataText()).getString("via")).containsExactly("poll");
  }
}
