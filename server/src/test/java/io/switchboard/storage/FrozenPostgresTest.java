package io.switchboard.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testsupport.TestPostgres;
import io.switchboard.testsupport.TestServer;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hung PostgreSQL (every process of it stopped with SIGSTOP for 30 s: connections stay open, nothing
 * answers) must not hang the node: durable publishes answer 100 (HTTP 503 on the server API) within the
 * deadline, {@code /health/ready} turns 503 within 3 s, channels without history keep working, and after
 * SIGCONT everything recovers with every acknowledged publication in history, delivered once.
 *
 * <p>The PostgreSQL here is this test's own embedded cluster, not the shared one of {@link TestPostgres}, so
 * that freezing it cannot stall other tests.
 */
class FrozenPostgresTest {
  static final long DEADLINE_MS = 2_000;
  /** Network, scheduling and a loaded 2-core machine on top of the deadline. */
  static final long SLACK_MS = 1_500;
  static final long FROZEN_MS = 30_000;
  static final String DURABLE = "chat:frozen";
  static final String EPHEMERAL = "typing:frozen";

  static Path pgBase;
  static EmbeddedPostgresLauncher pg;
  static TestServer server;
  static Vertx vertx;
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    pgBase = Files.createTempDirectory("switchboard-frozen-pg");
    pg = EmbeddedPostgresLauncher.start(pgBase, 0, Map.of("fsync", "off", "synchronous_commit", "off",
        "full_page_writes", "off", "logging_collector", "off"));
    TestPostgres.Db db = new TestPostgres.Db(pg.database(), pg.host(), pg.port(), pg.user(), pg.password(), null);
    server = TestServer.start("""
        postgres:
          statement_timeout: %dms
          ready_timeout: 2s
        client:
          ping_interval: 300s
          pong_timeout: 10s
        """.formatted(DEADLINE_MS), db, TestServer.freePort());
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close();
    }
    if (server != null) {
      server.close();
    }
    if (pg != null) {
      pg.close();
    }
    TestPostgres.deleteRecursively(pgBase);
  }

  @Test
  void aFrozenPostgresFailsFastAndLosesNothingAcknowledged() throws Exception {
    WsClient publisher = client("frozen-publisher");
    WsClient subscriber = client("frozen-subscriber");
    // offset -> data of every publication the server API acknowledged
    Map<Long, Integer> acked = new LinkedHashMap<>();
    int n = 0;
    acked.put(apiPublish(++n), n);
    publisher.call("publish", pubParams(DURABLE, ++n));

    List<Long> frozen = freeze();
    int answeredWith100 = 0;
    int ephemeralDelivered = 0;
    try {
      long frozenAt = System.nanoTime();
      long t = System.nanoTime();
      HttpResponse<String> ready = get("/health/ready");
      assertThat(ms(t)).as("/health/ready answered within 3 s").isLessThan(3_000);
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
      assertThat(new JsonObject(ready.body()).getString("status")).isEqualTo("DOWN");

      while (ms(frozenAt) < FROZEN_MS - 2 * (DEADLINE_MS + SLACK_MS)) {
        t = System.nanoTime();
        JsonObject reply = publisher.call("publish", pubParams(DURABLE, ++n));
        assertThat(ms(t)).as("durable client publish answered within the deadline").isLessThan(DEADLINE_MS + SLACK_MS);
        assertThat(reply.getJsonObject("error")).as("reply %s", reply).isNotNull();
        assertThat(reply.getJsonObject("error").getInteger("code")).isEqualTo(100);
        answeredWith100++;

        t = System.nanoTime();
        HttpResponse<String> api = apiCall("publish", pubParams(DURABLE, ++n));
        assertThat(ms(t)).as("durable API publish answered within the deadline").isLessThan(DEADLINE_MS + SLACK_MS);
        assertThat(api.statusCode()).as(api.body()).isEqualTo(503);
        assertThat(new JsonObject(api.body()).getJsonObject("error").getInteger("code")).isEqualTo(100);

        // Without history nothing touches PostgreSQL: publish and delivery go on.
        int data = ++n;
        JsonObject ok = publisher.call("publish", pubParams(EPHEMERAL, data));
        assertThat(ok.containsKey("publish")).as("ephemeral publish %s", ok).isTrue();
        assertThat(subscriber.nextPub(EPHEMERAL).getJsonObject("data").getInteger("n")).isEqualTo(data);
        ephemeralDelivered++;
      }
      long left = FROZEN_MS - ms(frozenAt);
      if (left > 0) {
        Thread.sleep(left);
      }
    } finally {
      signal("CONT", frozen);
    }
    assertThat(answeredWith100).isGreaterThanOrEqualTo(3);
    assertThat(ephemeralDelivered).isGreaterThanOrEqualTo(3);

    // Recovery: ready again, durable publishes acknowledged again, without restarting anything.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int readyStatus = 0;
    while (System.nanoTime() < deadline && readyStatus != 200) {
      readyStatus = get("/health/ready").statusCode();
      if (readyStatus != 200) {
        Thread.sleep(200);
      }
    }
    assertThat(readyStatus).as("/health/ready after SIGCONT").isEqualTo(200);
    acked.put(apiPublish(++n), n);
    JsonObject after = publisher.call("publish", pubParams(DURABLE, ++n));
    assertThat(after.containsKey("publish")).as("client publish after recovery: %s", after).isTrue();
    long last = apiPublish(++n);
    acked.put(last, n);

    // Every acknowledged publication is in history, with its data.
    JsonObject history = apiResult("history", new JsonObject().put("channel", DURABLE).put("limit", -1));
    Map<Long, Integer> stored = new LinkedHashMap<>();
    JsonArray pubs = history.getJsonArray("publications");
    for (int i = 0; i < pubs.size(); i++) {
      JsonObject p = pubs.getJsonObject(i);
      stored.put(p.getLong("offset", 0L), p.getJsonObject("data").getInteger("n"));
    }
    assertThat(stored).containsAllEntriesOf(acked);

    // The subscriber got each stored publication once and in order, including those that committed after their
    // publishers had been told 100.
    List<Long> delivered = new ArrayList<>();
    while (delivered.isEmpty() || delivered.get(delivered.size() - 1) < last) {
      delivered.add(subscriber.nextPub(DURABLE).getLong("offset"));
    }
    assertThat(delivered).containsExactlyElementsOf(new ArrayList<>(stored.keySet()));

    publisher.close();
    subscriber.close();
  }

  // ---- the frozen server --------------------------------------------------------------------------------

  /**
   * SIGSTOPs the postmaster of this test's own cluster and then every process it forked (the backends that
   * serve the node's open connections): a server that is there but answers nothing. Returns what was stopped.
   */
  static List<Long> freeze() throws Exception {
    long postmaster = Long.parseLong(
        Files.readAllLines(pg.pgDataDirectory().resolve("postmaster.pid")).get(0).trim());
    List<Long> pids = new ArrayList<>(List.of(postmaster));
    signal("STOP", pids); // first, so that it forks nothing new meanwhile
    ProcessHandle.of(postmaster).orElseThrow().descendants().forEach(p -> pids.add(p.pid()));
    assertThat(pids.size()).as("postgres processes").isGreaterThan(1);
    try {
      signal("STOP", pids.subList(1, pids.size()));
    } catch (Exception | Error e) {
      signal("CONT", pids);
      throw e;
    }
    return pids;
  }

  /** {@code kill -SIG pid...} on exactly these processes. */
  static void signal(String sig, List<Long> pids) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("kill", "-" + sig));
    pids.forEach(p -> cmd.add(Long.toString(p)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("kill -%s", sig).isTrue();
  }

  // ---- helpers ------------------------------------------------------------------------------------------

  static WsClient client(String user) throws Exception {
    WsClient c = WsClient.open(vertx, server.wsUrl());
    c.connect(server.token(user));
    c.subscribe(DURABLE);
    c.subscribe(EPHEMERAL);
    return c;
  }

  static JsonObject pubParams(String channel, int n) {
    return new JsonObject().put("channel", channel).put("data", new JsonObject().put("n", n));
  }

  static long apiPublish(int n) throws Exception {
    return apiResult("publish", pubParams(DURABLE, n)).getLong("offset");
  }

  static JsonObject apiResult(String method, JsonObject params) throws Exception {
    HttpResponse<String> r = apiCall(method, params);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.containsKey("result")).as("%s -> %s", method, body).isTrue();
    return body.getJsonObject("result");
  }

  static HttpResponse<String> apiCall(String method, JsonObject params) throws Exception {
    return http.send(HttpRequest.newBuilder(uri("/api/" + method)).timeout(Duration.ofSeconds(15))
        .header("X-API-Key", TestServer.API_KEY).POST(HttpRequest.BodyPublishers.ofString(params.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(15)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  static long ms(long sinceNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
  }
}
