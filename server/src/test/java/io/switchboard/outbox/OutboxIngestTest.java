package io.switchboard.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.model.Publication;
import io.switchboard.testsupport.NodeTestBase;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The outbox with real PostgreSQL: the test inserts rows as an application would (JDBC transactions) and
 * watches what a WebSocket subscriber receives and what history holds. The poll interval is long, so every
 * delivery here comes from NOTIFY or from the resync after a (re)connect of the LISTEN connection.
 */
class OutboxIngestTest extends NodeTestBase {
  static OutboxApp app;

  @BeforeAll
  static void start() throws Exception {
    boot("""
        outbox:
          poll_interval: 10m
          batch_size: 50
        """);
    app = new OutboxApp(server.db);
    OutboxApp.await("the outbox LISTEN is up", () -> listens() >= 1);
  }

  static double listens() {
    return server.node.parts().metrics().registry().counter("switchboard_outbox_listens").count();
  }

  WsClient subscriber(String... channels) throws Exception {
    WsClient c = client("u");
    for (String ch : channels) {
      c.subscribe(ch);
    }
    return c;
  }

  static List<Publication> history(String channel) throws Exception {
    return server.node.parts().history().read(channel, 0, 10_000, false)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).publications();
  }

  static boolean isPub(JsonObject o, String channel) {
    return o.containsKey("push") && channel.equals(o.getJsonObject("push").getString("channel"))
        && o.getJsonObject("push").containsKey("pub");
  }

  @Test
  void committedRowsArePublishedOnceInInsertionOrderWithOffsets() throws Exception {
    String ch = "chat:outbox-once";
    try (WsClient c = subscriber(ch)) {
      try (Connection tx = app.begin()) {
        OutboxApp.insert(tx, ch, "{\"n\":1}", null, null);
        OutboxApp.insert(tx, ch, "{\"n\": 2,\n \"z\": [1, 2]}", null, "{\"kind\":\"x\"}");
        OutboxApp.insert(tx, ch, "{\"n\":3}", null, null);
        tx.commit();
      }
      app.commit(ch, "{\"n\":4}");
      for (int n = 1; n <= 4; n++) {
        JsonObject pub = c.nextPub(ch);
        assertThat(pub.getLong("offset")).isEqualTo(n);
        assertThat(pub.getJsonObject("data").getInteger("n")).isEqualTo(n);
        if (n == 2) {
          assertThat(pub.getJsonObject("data").getJsonArray("z").size()).isEqualTo(2);
          assertThat(pub.getJsonObject("tags").getString("kind")).isEqualTo("x");
        }
      }
      c.expectNone(o -> isPub(o, ch), 300);
    }
    assertThat(history(ch)).extracting(Publication::offset).containsExactly(1L, 2L, 3L, 4L);
    assertThat(app.rows("SELECT publish_offset FROM switchboard_outbox WHERE channel = ? "
        + "AND published_at IS NOT NULL AND error IS NULL ORDER BY id", ch))
        .extracting(r -> r.get(0)).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void manyRowsFromConcurrentTransactionsArePublishedExactlyOnceInOrder() throws Exception {
    String a = "chat:outbox-many-a";
    String b = "chat:outbox-many-b";
    int writers = 4;
    int txPerWriter = 25;
    int rowsPerTx = 8; // alternating channels: 4 rows per channel per transaction
    int perChannel = writers * txPerWriter * rowsPerTx / 2;
    try (WsClient c = subscriber(a, b)) {
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
                  String data = new JsonObject().put("w", writer).put("s", seq++).encode();
                  OutboxApp.insert(tx, r % 2 == 0 ? a : b, data, null, null);
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
      for (String ch : List.of(a, b)) {
        Map<Integer, Integer> lastSeqByWriter = new HashMap<>();
        for (long offset = 1; offset <= perChannel; offset++) {
          JsonObject pub = c.nextPub(ch);
          assertThat(pub.getLong("offset")).isEqualTo(offset);
          int w = pub.getJsonObject("data").getInteger("w");
          int s = pub.getJsonObject("data").getInteger("s");
          // Each writer's rows arrive in its insertion order (which makes them distinct, too).
          assertThat(s).as("writer %d in %s", w, ch).isGreaterThan(lastSeqByWriter.getOrDefault(w, -1));
          lastSeqByWriter.put(w, s);
        }
      }
      c.expectNone(o -> isPub(o, a) || isPub(o, b), 300);
    }
    assertThat(history(a)).hasSize(perChannel);
    assertThat(history(b)).hasSize(perChannel);
    assertThat(app.count("SELECT count(*) FROM switchboard_outbox WHERE channel IN (?, ?) "
        + "AND published_at IS NOT NULL", a, b)).isEqualTo(2L * perChannel);
    assertThat(app.count("SELECT count(DISTINCT (channel, publish_offset)) FROM switchboard_outbox "
        + "WHERE channel IN (?, ?)", a, b)).isEqualTo(2L * perChannel);
  }

  @Test
  void rolledBackRowsAreNeverPublished() throws Exception {
    String ch = "chat:outbox-rollback";
    try (WsClient c = subscriber(ch)) {
      try (Connection tx = app.begin()) {
        OutboxApp.insert(tx, ch, "{\"v\":\"rolled back\"}", null, null);
        tx.rollback();
      }
      Connection open = app.begin();
      OutboxApp.insert(open, ch, "{\"v\":\"rolled back later\"}", null, null);
      app.commit(ch, "{\"v\":\"first\"}");
      JsonObject first = c.nextPub(ch);
      assertThat(first.getJsonObject("data").getString("v")).isEqualTo("first");
      assertThat(first.getLong("offset")).isEqualTo(1L);
      open.rollback();
      open.close();
      app.commit(ch, "{\"v\":\"second\"}");
      JsonObject second = c.nextPub(ch);
      assertThat(second.getJsonObject("data").getString("v")).isEqualTo("second");
      assertThat(second.getLong("offset")).isEqualTo(2L);
      c.expectNone(o -> isPub(o, ch), 300);
    }
    assertThat(history(ch)).extracting(p -> new JsonObject(p.dataText()).getString("v"))
        .containsExactly("first", "second");
  }

  @Test
  void aDroppedListenConnectionResyncsWithoutLoss() throws Exception {
    String ch = "chat:outbox-resync";
    try (WsClient c = subscriber(ch)) {
      app.commit(ch, "{\"n\":1}");
      assertThat(c.nextPub(ch).getLong("offset")).isEqualTo(1L);

      double before = listens();
      String byName = "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?";
      assertThat(app.count("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
          + "WHERE application_name = ?", OutboxIngest.APPLICATION_NAME)).isEqualTo(1L);
      OutboxApp.await("the LISTEN backend is gone", () -> app.count(byName, OutboxIngest.APPLICATION_NAME) == 0);
      // The gap: nobody listens, so these commits notify no one (the reconnect waits a second).
      try (Connection tx = app.begin()) {
        OutboxApp.insert(tx, ch, "{\"n\":2}", null, null);
        OutboxApp.insert(tx, ch, "{\"n\":3}", null, null);
        assertThat(app.count(byName, OutboxIngest.APPLICATION_NAME)).as("still in the gap").isZero();
        tx.commit();
      }
      app.commit(ch, "{\"n\":4}");
      assertThat(listens()).as("no reconnect yet").isEqualTo(before);

      // The poll is 10 minutes away: only the resync after the reconnect can publish them.
      for (long n = 2; n <= 4; n++) {
        JsonObject pub = c.nextPub(ch);
        assertThat(pub.getLong("offset")).isEqualTo(n);
        assertThat(pub.getJsonObject("data").getLong("n")).isEqualTo(n);
      }
      assertThat(listens()).isGreaterThan(before);
      assertThat(app.count(byName, OutboxIngest.APPLICATION_NAME)).isEqualTo(1L);

      // And NOTIFY works again on the new connection.
      app.commit(ch, "{\"n\":5}");
      assertThat(c.nextPub(ch).getLong("offset")).isEqualTo(5L);
      c.expectNone(o -> isPub(o, ch), 300);
    }
    assertThat(history(ch)).extracting(Publication::offset).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void anIdempotencyKeyIsPublishedOncePerChannel() throws Exception {
    String ch = "chat:outbox-idem";
    String other = "chat:outbox-idem-other";
    String typing = "typing:outbox-idem"; // no history: checked against earlier outbox rows
    var node = server.node.parts();
    // Published first through the server's own publish path with key k-api.
    long apiOffset = node.broker().publish(ch, node.policy().resolve(ch), ("{\"v\":\"api\"}").getBytes(UTF_8), true, null, null, "k-api", false)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).publication().offset();
    try (WsClient c = subscriber(ch, other, typing)) {
      try (Connection tx = app.begin()) {
        OutboxApp.insert(tx, ch, "{\"v\":\"k1 first\"}", "k1", null);
        OutboxApp.insert(tx, ch, "{\"v\":\"k1 again, same transaction\"}", "k1", null);
        OutboxApp.insert(tx, ch, "{\"v\":\"k-api retried\"}", "k-api", null);
        OutboxApp.insert(tx, other, "{\"v\":\"k1 in another channel\"}", "k1", null);
        OutboxApp.insert(tx, typing, "{\"v\":\"t1\"}", "k1", null);
        OutboxApp.insert(tx, typing, "{\"v\":\"t1 again\"}", "k1", null);
        tx.commit();
      }
      app.commitKeyed(ch, "{\"v\":\"k1 later\"}", "k1");
      app.commitKeyed(typing, "{\"v\":\"t1 later\"}", "k1");
      app.commit(ch, "{\"v\":\"marker\"}");
      app.commit(typing, "{\"v\":\"marker\"}");

      assertThat(c.nextPub(ch).getJsonObject("data").getString("v")).isEqualTo("k1 first");
      assertThat(c.nextPub(ch).getJsonObject("data").getString("v")).isEqualTo("marker");
      assertThat(c.nextPub(other).getJsonObject("data").getString("v")).isEqualTo("k1 in another channel");
      assertThat(c.nextPub(typing).getJsonObject("data").getString("v")).isEqualTo("t1");
      assertThat(c.nextPub(typing).getJsonObject("data").getString("v")).isEqualTo("marker");
      c.expectNone(o -> isPub(o, ch) || isPub(o, other) || isPub(o, typing), 300);
    }
    assertThat(history(ch)).extracting(p -> new JsonObject(p.dataText()).getString("v"))
        .containsExactly("api", "k1 first", "marker");
    // Every keyed row is marked published; duplicates point at the original offset.
    assertThat(app.rows("SELECT publish_offset FROM switchboard_outbox WHERE channel = ? "
        + "AND idempotency_key IS NOT NULL AND published_at IS NOT NULL ORDER BY id", ch))
        .extracting(r -> r.get(0)).containsExactly(apiOffset + 1, apiOffset + 1, apiOffset, apiOffset + 1);
  }

  @Test
  void rowsForUnknownChannelsAreMarkedWithAnErrorAndDoNotBlockTheQueue() throws Exception {
    String ch = "chat:outbox-after-bad";
    try (WsClient c = subscriber(ch)) {
      try (Connection tx = app.begin()) {
        OutboxApp.insert(tx, "nosuchns:x", "{}", null, null);
        OutboxApp.insert(tx, "chat:has space", "{}", null, null);
        OutboxApp.insert(tx, ch, "{\"ok\":true}", null, null);
        tx.commit();
      }
      assertThat(c.nextPub(ch).getJsonObject("data").getBoolean("ok")).isTrue();
    }
    List<List<Object>> bad = app.rows("SELECT channel, published_at, error FROM switchboard_outbox "
        + "WHERE channel IN ('nosuchns:x', 'chat:has space') ORDER BY id");
    assertThat(bad).hasSize(2).allSatisfy(r -> {
      assertThat(r.get(1)).isNull();
      assertThat((String) r.get(2)).startsWith("channel rejected: ");
    });
  }

  @Test
  void rowsOverThePayloadLimitsAreMarkedWithAnErrorAndDoNotBlockTheQueue() throws Exception {
    String ch = "chat:outbox-deep";
    try (WsClient c = subscriber(ch)) {
      try (Connection tx = app.begin()) {
        OutboxApp.insert(tx, ch, "{\"deep\":" + "[".repeat(100) + "]".repeat(100) + "}", null, null);
        OutboxApp.insert(tx, ch, "{\"ok\":true}", null, null);
        tx.commit();
      }
      JsonObject pub = c.nextPub(ch);
      assertThat(pub.getJsonObject("data").getBoolean("ok")).isTrue();
      assertThat(pub.getLong("offset")).isEqualTo(1L); // the deep row took no offset
    }
    List<List<Object>> bad = app.rows("SELECT published_at, error FROM switchboard_outbox "
        + "WHERE channel = 'chat:outbox-deep' AND error IS NOT NULL");
    assertThat(bad).hasSize(1);
    assertThat(bad.get(0).get(0)).isNull();
    assertThat((String) bad.get(0).get(1)).contains("deeper than 64");
  }
}
