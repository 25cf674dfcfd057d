package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.auth.TokenMinter;
import io.switchboard.testsupport.NodeProcess;
import io.switchboard.testsupport.StuckClient;
import io.switchboard.testsupport.TestPostgres;
import io.switchboard.testsupport.TestServer;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, section 1: one connection pipelines 200 MiB of publishes and reads nothing. The node (a process of
 * its own, so that its RSS is its alone) must not buffer them: its RSS stays within 64 MiB of its level before,
 * and two other clients keep publishing and receiving meanwhile. The command rate limit is set out of the way,
 * so that the bound under test (client.max_pending_command_bytes) is the one that holds, and so are pings (the
 * test clients do not answer them); the flood goes to a channel with history, so each publish waits for its
 * commit while the next ones arrive.
 */
class PipelineFloodIT {
  private static final long MIB = 1L << 20;
  private static final String PAYLOAD = "x".repeat(60_000); // a message just under max_message_bytes
  private static final TokenMinter MINTER = new TokenMinter(TestServer.SECRET);
  private static NodeProcess node;
  private static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    TestPostgres.Db db = TestPostgres.freshDatabase();
    Path dir = Files.createTempDirectory("pipeline-flood");
    Path conf = dir.resolve("flood.yaml");
    Files.writeString(conf, """
        client:
          ping_interval: 10m
          pong_timeout: 1m
          command_rate: 1000000
          command_burst: 1000000
        channels:
          namespaces:
            flood:
              history_size: 10
              history_ttl: 60s
              allow_publish_for_client: true
        """);
    Map<String, String> env = new HashMap<>();
    env.put("SWITCHBOARD_PG_URL", db.url());
    env.put("SWITCHBOARD_DATA_DIR", dir.toString());
    env.put("SWITCHBOARD_TOKEN_HMAC_SECRET", TestServer.SECRET);
    env.put("SWITCHBOARD_API_KEY", TestServer.API_KEY);
    env.put("SWITCHBOARD_PUSH_ENABLED", "false");
    env.put("SWITCHBOARD_HTTP_HOST", "127.0.0.1");
    int port = TestServer.freePort();
    // Not a demo node, so a same-host browser Origin (Vert.x's client sends one) needs its host listed.
    env.put("SWITCHBOARD_ALLOWED_HOSTS", "127.0.0.1:" + port);
    node = new NodeProcess("pipeline-flood", port, env).withArgs("--conf", conf.toString()).start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (vertx != null) {
      vertx.close();
    }
  }

  static WsClient client(String user) throws Exception {
    WsClient c = WsClient.open(vertx, node.wsUrl());
    c.connect(MINTER.mint(user, Duration.ofHours(1)));
    return c;
  }

  /** The node's resident set, from /proc/PID/status (VmRSS, in kB). */
  static long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(node.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS for " + node.pid());
  }

  /** The node's count of unanswered command bytes, as /metrics shows it (for the progress lines). */
  static String pendingGauge() {
    try {
      java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + node.httpPort + "/metrics"))
              .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      return r.body().lines().filter(l -> l.startsWith("switchboard_pending_command_bytes")).findFirst().orElse("?");
    } catch (IOException | InterruptedException e) {
      return e.toString();
    }
  }

  @Test
  void aClientPipeliningWithoutReadingNeitherGrowsTheNodeNorHoldsUpOthers() throws Exception {
    try (WsClient alice = client("alice"); WsClient bob = client("bob")) {
      alice.subscribe("chat:calm");
      bob.subscribe("chat:calm");
      // Warm-up over the same path (JSON parsing, publish, commit), one at a time: the young generation and the
      // compiled code are in place before the baseline, so what the flood adds is what it leaves behind.
      for (int i = 0; i < 600; i++) {
        JsonObject r = alice.call("publish", new JsonObject().put("channel", "flood:warm").put("data", PAYLOAD));
        assertThat(r.containsKey("publish")).as("warm-up publish %s", r).isTrue();
      }
      Thread.sleep(1000);
      long before = rssBytes();

      AtomicLong sent = new AtomicLong();
      AtomicReference<Throwable> floodFailed = new AtomicReference<>();
      String connect = "{\"id\":1,\"connect\":{\"token\":\"" + MINTER.mint("flood", Duration.ofHours(1)) + "\"}}";
      Thread flood = new Thread(() -> {
        // It never reads its replies (about 25 bytes per 60 KB publish: under 100 KB for the whole flood); its
        // receive buffer holds them all, so the kernel keeps carrying its writes (see StuckClient).
        try (StuckClient stuck = StuckClient.withReceiveBuffer(node.httpPort, connect, 1 << 20)) {
          for (long id = 2; sent.get() < 200 * MIB; id++) {
            String publish = "{\"id\":" + id + ",\"publish\":{\"channel\":\"flood:x\",\"data\":\"" + PAYLOAD + "\"}}";
            stuck.sendText(publish);
            sent.addAndGet(publish.length());
          }
        } catch (Throwable t) {
          floodFailed.set(t);
        }
      }, "flood");
      flood.start();

      long maxRss = before;
      int received = 0;
      long deadline = System.currentTimeMillis() + 300_000;
      while (flood.isAlive() && System.currentTimeMillis() < deadline) {
        maxRss = Math.max(maxRss, rssBytes());
        // Someone else publishes and someone else receives, while the flood goes on (WsClient waits 10 s at most).
        JsonObject r = alice.call("publish", new JsonObject().put("channel", "chat:calm")
            .put("data", new JsonObject().put("n", received)));
        assertThat(r.containsKey("publish")).as("publish during the flood: %s", r).isTrue();
        assertThat(bob.nextPub("chat:calm").getJsonObject("data").getInteger("n")).isEqualTo(received);
        received++;
        maxRss = Math.max(maxRss, rssBytes());
        if (received % 50 == 0) {
          System.out.printf("flood: %d MiB sent, RSS %d MiB, %s%n", sent.get() / MIB, rssBytes() / MIB, pendingGauge());
        }
        Thread.sleep(100);
      }
      flood.join(1000);
      for (int i = 0; i < 20; i++) { // what the kernel still held for the node is read after the flood ends
        maxRss = Math.max(maxRss, rssBytes());
        Thread.sleep(100);
      }

      System.out.printf("flood: %d MiB sent; node RSS %d MiB before, %d MiB at most; %d publications received%n",
          sent.get() / MIB, before / MIB, maxRss / MIB, received);
      assertThat(flood.isAlive()).as("the flood did not finish in 5 minutes (sent %d MiB)", sent.get() / MIB)
          .isFalse();
      assertThat(floodFailed.get()).as("the flooding connection stays open: it is paced, not closed").isNull();
      assertThat(sent.get()).isGreaterThanOrEqualTo(200 * MIB);
      assertThat(received).as("publications received by another client during the flood").isPositive();
      assertThat(maxRss - before).as("RSS growth (before: %d MiB, peak: %d MiB)", before / MIB, maxRss / MIB)
          .isLessThan(64 * MIB);
      // and the node still answers
      JsonObject r = alice.call("publish", new JsonObject().put("channel", "chat:calm").put("data", new JsonObject()));
      assertThat(r.containsKey("publish")).isTrue();
    }
  }
}
