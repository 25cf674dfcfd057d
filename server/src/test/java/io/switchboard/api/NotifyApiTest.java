package io.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.notify.PushQueue;
import io.switchboard.testsupport.TestServer;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/notify} against a real node and real PostgreSQL: 10,000 users in one call with a constant
 * number of SQL statements (counted by PostgreSQL itself), live delivery, idempotent retries, per-user errors,
 * and push jobs for offline users only (through a recording {@link PushQueue}, the seam to Web Push).
 */
class NotifyApiTest {
  static TestServer server;
  static Vertx vertx;
  static ApiClient api;
  static Pool db;
  /** Every {@link PushQueue#enqueue} call the node made, in order. */
  static final List<List<PushQueue.PushJob>> enqueued = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start("{}\n", jobs -> {
      if (jobs.stream().anyMatch(j -> j.user().equals("push-fails"))) {
        return Future.failedFuture(new IllegalStateException("queue down"));
      }
      enqueued.add(List.copyOf(jobs));
      return Future.succeededFuture();
    });
    vertx = Vertx.vertx();
    api = new ApiClient(server.port());
    db = server.db.pool(vertx);
  }

  @AfterAll
  static void stop() {
    db.close();
    vertx.close();
    server.close();
  }

  @BeforeEach
  void clearPushes() {
    enqueued.clear();
  }

  static WsClient client(String user) throws Exception {
    WsClient c = WsClient.open(vertx, server.wsUrl());
    c.connect(server.token(user));
    return c;
  }

  static RowSet<Row> sql(String sql) throws Exception {
    return db.query(sql).execute().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static JsonArray users(List<String> names) {
    return new JsonArray(new ArrayList<>(names));
  }

  static JsonObject results(JsonObject result) {
    return result.getJsonObject("results");
  }

  static Predicate<JsonObject> anyPub() {
    return o -> o.containsKey("push") && o.getJsonObject("push").containsKey("pub");
  }

  /**
   * Statement-level triggers on the two tables an append writes log one row per SQL statement (not per row)
   * with its transaction id: a round trip per user, or a client-side batch of per-user statements, would log
   * one row per user.
   */
  static void countStatements() throws Exception {
    sql("""
        CREATE TABLE IF NOT EXISTS stmt_log (tbl text, op text, xid bigint);
        CREATE OR REPLACE FUNCTION log_stmt() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO stmt_log VALUES (TG_TABLE_NAME, TG_OP, txid_current()); RETURN NULL; END $$;
        CREATE TRIGGER streams_stmt AFTER INSERT OR UPDATE ON streams FOR EACH STATEMENT EXECUTE FUNCTION log_stmt();
        CREATE TRIGGER publications_stmt AFTER INSERT ON publications FOR EACH STATEMENT EXECUTE FUNCTION log_stmt();
        """);
  }

  static void stopCountingStatements() throws Exception {
    sql("DROP TRIGGER streams_stmt ON streams; DROP TRIGGER publications_stmt ON publications; DROP TABLE stmt_log");
  }

  /** (table op) -> statements since the last call, and the number of distinct transactions; then clears. */
  static Map<String, Long> statements() throws Exception {
    Map<String, Long> out = new HashMap<>();
    for (Row r : sql("SELECT tbl || ' ' || op AS k, count(*) AS n FROM stmt_log GROUP BY 1")) {
      out.put(r.getString("k"), r.getLong("n"));
    }
    out.put("transactions", sql("SELECT count(DISTINCT xid) AS n FROM stmt_log").iterator().next().getLong("n"));
    sql("TRUNCATE stmt_log");
    return out;
  }

  @Test
  void tenThousandUsersInOneCallWithAConstantNumberOfStatements() throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < NotifyMethod.MAX_USERS; i++) {
      names.add("bulk-" + i);
    }
    countStatements();
    try (WsClient first = client("bulk-0"); WsClient middle = client("bulk-5000"); WsClient last = client("bulk-9999")) {
      statements(); // forget the stream rows the three connects created
      // The counter works: three single-user calls are three statements into publications, three transactions.
      for (String u : List.of("bulk-ctl-1", "bulk-ctl-2", "bulk-ctl-3")) {
        api.result("notify", new JsonObject().put("users", new JsonArray().add(u)).put("data", new JsonObject()));
      }
      assertThat(statements()).containsEntry("publications INSERT", 3L).containsEntry("transactions", 3L);

      long t0 = System.nanoTime();
      JsonObject r = api.result("notify", new JsonObject().put("users", users(names))
          .put("data", new JsonObject().put("text", "maintenance tonight")));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      Map<String, Long> stmts = statements();
      System.out.printf("notify to %d users: one API call, %d ms, statements %s%n", names.size(), ms, stmts);

      // One transaction: one upsert of the 10,000 stream rows (PostgreSQL fires both its INSERT and UPDATE
      // statement triggers for INSERT ... ON CONFLICT DO UPDATE) and one insert of the 10,000 publications.
      assertThat(stmts).containsOnly(Map.entry("streams INSERT", 1L), Map.entry("streams UPDATE", 1L),
          Map.entry("publications INSERT", 1L), Map.entry("transactions", 1L));
      JsonObject results = results(r);
      assertThat(results.fieldNames()).hasSize(names.size());
      assertThat(new ArrayList<>(results.fieldNames())).containsExactlyElementsOf(names); // input order
      for (String u : names) {
        assertThat(results.getJsonObject(u).getLong("offset")).as(u).isEqualTo(1L);
        assertThat(results.getJsonObject(u).getString("epoch")).as(u).isNotEmpty();
      }
      assertThat(sql("SELECT count(*) FROM publications WHERE channel LIKE 'notify:#bulk-%' AND channel NOT LIKE "
          + "'notify:#bulk-ctl-%'").iterator().next().getLong(0)).isEqualTo(10_000L);

      // Live to those connected.
      for (WsClient c : List.of(first, middle, last)) {
        JsonObject pub = c.next(anyPub()).getJsonObject("push");
        assertThat(pub.getJsonObject("pub").getLong("offset")).isEqualTo(1L);
        assertThat(pub.getJsonObject("pub").getJsonObject("data").getString("text")).isEqualTo("maintenance tonight");
      }
      assertThat(first.seen().stream().filter(anyPub()).map(o -> o.getJsonObject("push").getString("channel")))
          .containsExactly("notify:#bulk-0");
    } finally {
      stopCountingStatements();
    }
  }

  @Test
  void aRetriedIdempotentCallDeliversNothingTwice() throws Exception {
    try (WsClient alice = client("idem-alice")) {
      JsonObject body = new JsonObject().put("users", new JsonArray().add("idem-alice").add("idem-bob").add("idem,bad"))
          .put("data", new JsonObject().put("n", 1)).put("idempotency_key", "order-42-shipped")
          .put("push", new JsonObject().put("title", "Shipped"));
      JsonObject first = api.result("notify", body);
      JsonObject retry = api.result("notify", body);
      JsonObject changed = api.result("notify", body.copy().put("data", new JsonObject().put("n", 2)));
      assertThat(retry).isEqualTo(first);
      assertThat(changed).isEqualTo(first);
      assertThat(results(first).getJsonObject("idem-alice").getLong("offset")).isEqualTo(1L);
      assertThat(results(first).getJsonObject("idem,bad").getJsonObject("error").getInteger("code")).isEqualTo(107);

      JsonObject pub = alice.nextPub("notify:#idem-alice");
      assertThat(pub.getJsonObject("data").getInteger("n")).isEqualTo(1);
      alice.expectNone(anyPub(), 300);
      JsonObject history = api.result("history", new JsonObject().put("channel", "notify:#idem-bob").put("limit", -1));
      assertThat(history.getJsonArray("publications")).hasSize(1);
      assertThat(history.getLong("offset")).isEqualTo(1L);
      // The push for the offline bob was queued once, by the first call only.
      assertThat(enqueued).hasSize(1);
      assertThat(enqueued.get(0)).extracting(PushQueue.PushJob::user).containsExactly("idem-bob");
    }
  }

  @Test
  void concurrentRetriesWithOneKeyNotifyOnce() throws Exception {
    JsonObject body = new JsonObject().put("users", new JsonArray().add("race-a").add("race-b"))
        .put("data", new JsonObject().put("x", 1)).put("idempotency_key", "race-key");
    List<CompletableFuture<JsonObject>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(CompletableFuture.supplyAsync(() -> {
        try {
          return api.result("notify", body);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }));
    }
    Set<JsonObject> answers = new HashSet<>();
    for (CompletableFuture<JsonObject> c : calls) {
      answers.add(c.get(30, TimeUnit.SECONDS));
    }
    assertThat(answers).hasSize(1);
    assertThat(api.result("history", new JsonObject().put("channel", "notify:#race-a").put("limit", -1))
        .getJsonArray("publications")).hasSize(1);
  }

  @Test
  void concurrentBulkCallsOverlappingInOppositeOrderDoNotDeadlock() throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      names.add("lock-" + i);
    }
    List<String> reversed = new ArrayList<>(names);
    java.util.Collections.reverse(reversed);
    List<CompletableFuture<JsonObject>> calls = new ArrayList<>();
    for (List<String> order : List.of(names, reversed, names, reversed)) {
      calls.add(CompletableFuture.supplyAsync(() -> {
        try {
          return api.result("notify", new JsonObject().put("users", users(order)).put("data", new JsonObject()));
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }));
    }
    Map<String, Set<Long>> offsets = new HashMap<>();
    for (CompletableFuture<JsonObject> c : calls) {
      JsonObject results = results(c.get(60, TimeUnit.SECONDS));
      for (String u : names) {
        offsets.computeIfAbsent(u, k -> new HashSet<>()).add(results.getJsonObject(u).getLong("offset"));
      }
    }
    for (String u : names) {
      assertThat(offsets.get(u)).as(u).containsExactlyInAnyOrder(1L, 2L, 3L, 4L); // gap-free, no duplicate
    }
  }

  @Test
  void pushJobsAreQueuedForOfflineUsersOnly() throws Exception {
    try (WsClient online = client("push-on")) {
      JsonObject push = new JsonObject().put("title", "New message").put("body", "Bob wrote").put("url", "/inbox")
          .put("ttl", 3600).put("urgency", "high");
      JsonObject r = api.result("notify", new JsonObject()
          .put("users", new JsonArray().add("push-on").add("push-off-1").add("push-off-2"))
          .put("data", new JsonObject().put("text", "hi")).put("push", push));
      assertThat(online.nextPub("notify:#push-on").getJsonObject("data").getString("text")).isEqualTo("hi");
      assertThat(enqueued).hasSize(1); // one enqueue per notify call
      assertThat(enqueued.get(0)).containsExactly(
          new PushQueue.PushJob("push-off-1", "notify:#push-off-1", results(r).getJsonObject("push-off-1").getLong("offset"), push),
          new PushQueue.PushJob("push-off-2", "notify:#push-off-2", results(r).getJsonObject("push-off-2").getLong("offset"), push));

      // Without push, nothing is queued; with everybody online, nothing either.
      api.result("notify", new JsonObject().put("users", new JsonArray().add("push-off-1")).put("data", new JsonObject()));
      api.result("notify", new JsonObject().put("users", new JsonArray().add("push-on")).put("data", new JsonObject())
          .put("push", push));
      assertThat(enqueued).hasSize(1);
    }
  }

  @Test
  void notificationsAndTheirPushJobsCommitTogether() throws Exception {
    JsonObject push = new JsonObject().put("title", "t");
    JsonObject r = api.call("notify", new JsonObject().put("users", new JsonArray().add("push-fails").add("push-ok"))
        .put("data", new JsonObject().put("text", "x")).put("push", push));
    assertThat(r.getJsonObject("error").getInteger("code")).isEqualTo(100);
    // queueing the pushes failed, so the notifications rolled back with them: nothing half done
    long stored = db.preparedQuery("SELECT count(*) FROM publications WHERE channel = ANY($1)")
        .execute(io.vertx.sqlclient.Tuple.of(new String[] {"notify:#push-fails", "notify:#push-ok"}))
        .await().iterator().next().getLong(0);
    assertThat(stored).isZero();
    assertThat(enqueued).isEmpty();
  }

  @Test
  void badUsersGetTheirOwnErrorsAndBadCallsFailWhole() throws Exception {
    String tooLong = "u".repeat(300);
    JsonObject r = api.result("notify", new JsonObject()
        .put("users", new JsonArray().add("ok-1").add("").add("a,b").add("x#y").add("has space").add(tooLong)
            .add("ok-1").add("ok-2"))
        .put("data", new JsonObject()));
    JsonObject results = results(r);
    assertThat(new ArrayList<>(results.fieldNames())).containsExactly("ok-1", "", "a,b", "x#y", "has space", tooLong, "ok-2");
    assertThat(results.getJsonObject("ok-1").getLong("offset")).isEqualTo(1L); // named twice, notified once
    assertThat(results.getJsonObject("ok-2").getLong("offset")).isEqualTo(1L);
    for (String bad : List.of("", "a,b", "x#y", "has space")) {
      assertThat(results.getJsonObject(bad).getJsonObject("error").getInteger("code")).as(bad).isEqualTo(107);
    }
    assertThat(results.getJsonObject(tooLong).getJsonObject("error").getInteger("code")).isEqualTo(106);

    JsonArray tooMany = new JsonArray();
    for (int i = 0; i <= NotifyMethod.MAX_USERS; i++) {
      tooMany.add("many-" + i);
    }
    assertThat(api.error("notify", new JsonObject().put("users", tooMany).put("data", 1)).getInteger("code")).isEqualTo(106);
    assertThat(api.error("notify", new JsonObject().put("data", 1)).getInteger("code")).isEqualTo(107);
    assertThat(api.error("notify", new JsonObject().put("users", new JsonArray()).put("data", 1)).getInteger("code")).isEqualTo(107);
    assertThat(api.error("notify", new JsonObject().put("users", new JsonArray().add(7)).put("data", 1)).getInteger("code")).isEqualTo(107);
    assertThat(api.error("notify", new JsonObject().put("users", new JsonArray().add("v"))).getInteger("code")).isEqualTo(107);
    JsonObject one = new JsonObject().put("users", new JsonArray().add("v")).put("data", 1);
    assertThat(api.error("notify", one.copy().put("push", new JsonObject().put("title", "t").put("urgency", "now")))
        .getInteger("code")).isEqualTo(107);
    assertThat(api.error("notify", one.copy().put("push", new JsonObject().put("url", "/x"))).getInteger("code")).isEqualTo(107);
    assertThat(api.error("notify", one.copy().put("push", new JsonObject().put("title", "t").put("ttl", -1)))
        .getInteger("code")).isEqualTo(107);
    assertThat(api.error("notify", one.copy().put("idempotency_key", 5)).getInteger("code")).isEqualTo(107);
    assertThat(api.result("history", new JsonObject().put("channel", "notify:#v")).getLong("offset")).isZero();
  }
}
