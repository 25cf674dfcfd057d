package io.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.auth.TokenMinter;
import io.switchboard.testsupport.NodeProcess;
import io.switchboard.testsupport.TestPostgres;
import io.switchboard.testsupport.TestServer;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Three server processes on loopback, clustered with Hazelcast over one PostgreSQL. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  static final String SECRET = TestServer.SECRET;
  static final TokenMinter MINTER = new TokenMinter(SECRET);
  static final List<NodeProcess> nodes = new ArrayList<>();
  static Vertx vertx;

  @BeforeAll
  static void startCluster() throws Exception {
    vertx = Vertx.vertx();
    TestPostgres.Db db = TestPostgres.freshDatabase();
    int[] hz = {TestServer.freePort(), TestServer.freePort(), TestServer.freePort()};
    String members = "127.0.0.1:" + hz[0] + ",127.0.0.1:" + hz[1] + ",127.0.0.1:" + hz[2];
    List<Thread> starting = new ArrayList<>();
    List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int i = 0; i < 3; i++) {
      Map<String, String> env = new HashMap<>();
      env.put("SWITCHBOARD_PG_URL", db.url());
      env.put("SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET);
      env.put("SWITCHBOARD_API_KEY", TestServer.API_KEY);
      env.put("SWITCHBOARD_PUSH_VAPID_PUBLIC_KEY", // push is on by default; outside demo mode it needs the pair
          "BL3q4DxMgvPSKkO2gAmEiuMmV6sbVpwgVN35oXS30mfXGvkUCbihmEeu7wnMNviiCTq39EVCdxx8w_UEuqCMSn0");
      env.put("SWITCHBOARD_PUSH_VAPID_PRIVATE_KEY", "c-IES9xVrNcmE1JoWIICv7CHZGuz4icKsb444g8WFmE");
      env.put("SWITCHBOARD_CLUSTER_MEMBERS", members);
      env.put("SWITCHBOARD_CLUSTER_HOST", "127.0.0.1");
      env.put("SWITCHBOARD_CLUSTER_PORT", Integer.toString(hz[i]));
      env.put("SWITCHBOARD_EVENTBUS_PORT", Integer.toString(TestServer.freePort()));
      env.put("SWITCHBOARD_NODE_NAME", "node-" + (char) ('a' + i));
      env.put("SWITCHBOARD_DRAIN_WINDOW", "1s");
      env.put("SWITCHBOARD_SHUTDOWN_GRACE", "10s");
      int port = TestServer.freePort();
      // Not demo nodes, so a same-host browser Origin (Vert.x's client sends one) needs its host listed.
      env.put("SWITCHBOARD_ALLOWED_HOSTS", "127.0.0.1:" + port);
      NodeProcess n = new NodeProcess("cluster-node-" + (char) ('a' + i), port, env);
      nodes.add(n);
      Thread t = new Thread(() -> {
        try {
          n.start();
        } catch (Exception e) {
          failures.add(e);
        }
      });
      t.start();
      starting.add(t);
    }
    for (Thread t : starting) {
      t.join();
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (NodeProcess n : nodes) {
      n.close();
    }
    vertx.close();
  }

  static WsClient client(NodeProcess node, String user) throws Exception {
    WsClient c = WsClient.open(vertx, node.wsUrl());
    c.connect(MINTER.mint(user, Duration.ofHours(1)));
    return c;
  }

  static NodeProcess a() {
    return nodes.get(0);
  }

  static NodeProcess b() {
    return nodes.get(1);
  }

  static NodeProcess c() {
    return nodes.get(2);
  }

  @Test
  @Order(1)
  void publicationsCrossNodesInOffsetOrderOncePerSubscription() throws Exception {
    String ch = "chat:cross";
    try (WsClient onA = client(a(), "alice"); WsClient onB = client(b(), "bob"); WsClient onC = client(c(), "carol")) {
      onA.subscribe(ch);
      onB.subscribe(ch);
      onC.subscribe(ch);
      // all three publish at once, each in one frame of 30 publishes
      for (WsClient pub : List.of(onA, onB, onC)) {
        StringBuilder frame = new StringBuilder();
        for (int i = 0; i < 30; i++) {
          frame.append(i == 0 ? "" : "\n").append(new JsonObject().put("id", 100 + i).put("publish",
              new JsonObject().put("channel", ch).put("data", new JsonObject().put("i", i))).encode());
        }
        pub.sendRaw(frame.toString());
      }
      for (WsClient sub : List.of(onA, onB, onC)) {
        for (long expected = 1; expected <= 90; expected++) {
          assertThat(sub.nextPub(ch).getLong("offset")).isEqualTo(expected);
        }
        sub.expectNone(o -> o.containsKey("push") && o.getJsonObject("push").containsKey("pub"), 300);
      }
    }
  }

  @Test
  @Order(2)
  void presenceAndStatsAreClusterWide() throws Exception {
    String ch = "chat:everyone";
    try (WsClient onA = client(a(), "alice"); WsClient onB = client(b(), "bob"); WsClient onC = client(c(), "carol")) {
      onA.subscribe(ch);
      onB.subscribe(ch);
      onC.subscribe(ch);
      JsonObject stats = null;
      long deadline = System.currentTimeMillis() + 5000;
      while (System.currentTimeMillis() < deadline) {
        stats = onB.call("presence_stats", new JsonObject().put("channel", ch)).getJsonObject("presence_stats");
        if (stats.getInteger("num_clients") == 3) {
          break;
        }
        Thread.sleep(100);
      }
      assertThat(stats.getInteger("num_clients")).isEqualTo(3);
      assertThat(stats.getInteger("num_users")).isEqualTo(3);
      JsonObject presence = onC.call("presence", new JsonObject().put("channel", ch)).getJsonObject("presence")
          .getJsonObject("presence");
      assertThat(presence.stream().map(e -> ((JsonObject) e.getValue()).getString("user")))
          .containsExactlyInAnyOrder("alice", "bob", "carol");
    }
  }

  @Test
  @Order(3)
  void readMarkersSyncToTheUsersDevicesOnOtherNodes() throws Exception {
    String ch = "chat:devices";
    try (WsClient phone = client(a(), "dora"); WsClient laptop = client(c(), "dora")) {
      phone.subscribe(ch);
      laptop.subscribe(ch);
      phone.call("publish", new JsonObject().put("channel", ch).put("data", new JsonObject().put("x", 1)));
      phone.call("rpc", new JsonObject().put("method", "read").put("data", new JsonObject().put("channel", ch).put("offset", 1)));
      JsonObject msg = laptop.next(o -> o.containsKey("push") && o.getJsonObject("push").containsKey("message"));
      assertThat(msg.getJsonObject("push").getJsonObject("message").getJsonObject("data").getLong("offset")).isEqualTo(1L);
    }
  }

  @Test
  @Order(4)
  void apiActionsReachAUserOnAnotherNode() throws Exception {
    try (WsClient onC = client(c(), "erin")) {
      io.switchboard.testsupport.Http.postApi(a().apiUrl("disconnect"), TestServer.API_KEY,
          new JsonObject().put("user", "erin"));
      assertThat(onC.awaitClose()).isEqualTo((short) 3503);
    }
    JsonObject info = io.switchboard.testsupport.Http.postApi(b().apiUrl("info"), TestServer.API_KEY, new JsonObject());
    assertThat(info.getJsonObject("result").getJsonArray("nodes")).hasSize(3);
  }

  @Test
  @Order(4)
  void aBulkNotifyReachesUsersOnEveryNodeAndReadStateFollowsAcrossNodes() throws Exception {
    try (WsClient phone = client(b(), "nina"); WsClient laptop = client(c(), "nina"); WsClient omar = client(c(), "omar")) {
      JsonObject r = io.switchboard.testsupport.Http.postApi(a().apiUrl("notify"), TestServer.API_KEY,
          new JsonObject().put("users", new io.vertx.core.json.JsonArray().add("nina").add("omar").add("nobody"))
              .put("data", new JsonObject().put("text", "bulk")));
      assertThat(r.getJsonObject("result").getJsonObject("results").fieldNames()).containsExactly("nina", "omar", "nobody");
      for (WsClient c : List.of(phone, laptop)) {
        assertThat(c.nextPub("notify:#nina").getJsonObject("data").getString("text")).isEqualTo("bulk");
      }
      assertThat(omar.nextPub("notify:#omar").getLong("offset")).isEqualTo(1L);
      JsonObject read = phone.call("rpc", new JsonObject().put("method", "notifications.read")
          .put("data", new JsonObject().put("offset", 1)));
      assertThat(read.getJsonObject("rpc").getJsonObject("data").getLong("unread")).isZero();
      JsonObject msg = laptop.next(o -> o.containsKey("push") && o.getJsonObject("push").containsKey("message"));
      assertThat(msg.getJsonObject("push").getJsonObject("message").getJsonObject("data").getString("type"))
          .isEqualTo("notifications.read");
      // The personal channel's presence (what the notify API checks before a push) is mirrored on every node.
      JsonObject presence = null;
      long deadline = System.currentTimeMillis() + 5000;
      while (System.currentTimeMillis() < deadline) {
        presence = io.switchboard.testsupport.Http.postApi(a().apiUrl("presence_stats"), TestServer.API_KEY,
            new JsonObject().put("channel", "notify:#nina")).getJsonObject("result");
        if (presence.getInteger("num_clients") == 2) {
          break;
        }
        Thread.sleep(100);
      }
      assertThat(presence.getInteger("num_clients")).isEqualTo(2);
    }
  }

  @Test
  @Order(5)
  void aRollingRestartUnderTrafficLosesNoPublication() throws Exception {
    String ch = "chat:rolling";
    List<String> urls = nodes.stream().map(NodeProcess::wsUrl).toList();
    List<io.switchboard.testsupport.RecoveringClient> clients = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int user = i;
      clients.add(new io.switchboard.testsupport.RecoveringClient(vertx, urls, i, ch,
          () -> MINTER.mint("roller" + user, Duration.ofHours(1))));
    }
    Thread.sleep(1500); // all subscribed
    java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicLong published = new java.util.concurrent.atomic.AtomicLong();
    Thread publisher = new Thread(() -> {
      int k = 0;
      while (publishing.get()) {
        // each publication is retried on another node until it is committed; the key makes retries safe
        String key = "rolling-" + k;
        JsonObject body = new JsonObject().put("channel", ch).put("data", new JsonObject().put("k", k)).put("idempotency_key", key);
        for (int attempt = 0; ; attempt++) {
          NodeProcess target = nodes.get((k + attempt) % nodes.size());
          try {
            JsonObject r = io.switchboard.testsupport.Http.postApi(target.apiUrl("publish"), TestServer.API_KEY, body);
            if (r.containsKey("result")) {
              published.set(r.getJsonObject("result").getLong("offset"));
              break;
            }
          } catch (Exception nodeDown) {
            // try the next node
          }
        }
        k++;
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    publisher.start();
    try {
      for (NodeProcess n : nodes) {
        Thread.sleep(1000);
        int code = n.terminate(Duration.ofSeconds(20));
        n.start();
      }
      Thread.sleep(1000);
    } finally {
      publishing.set(false);
      publisher.join();
    }
    long top = published.get();
    long deadline = System.currentTimeMillis() + 15_000;
    while (System.currentTimeMillis() < deadline && clients.stream().anyMatch(c -> c.lastOffset() < top)) {
      Thread.sleep(100);
    }
    for (var c : clients) {
      c.close();
      List<Long> got = new ArrayList<>(c.offsets);
      List<Long> expected = new ArrayList<>();
      for (long o = 1; o <= top; o++) {
        expected.add(o);
      }
      assertThat(c.failedRecoveries()).as("subscribe results %s", c.subscribeResults).isZero();
      assertThat(got).as("offsets received (close codes %s)", c.closeCodes).isEqualTo(expected);
      assertThat(c.closeCodes).contains(3001);
    }
    assertThat(top).isGreaterThan(50);
  }

  @Test
  @Order(10)
  void aKilledNodesPresenceClearsWithLeavesAndItsClientsRecoverElsewhere() throws Exception {
    String ch = "chat:crash";
    try (WsClient watcher = client(a(), "watcher"); WsClient victim = client(c(), "victim")) {
      watcher.call("subscribe", new JsonObject().put("channel", ch).put("join_leave", true));
      JsonObject sub = victim.subscribe(ch);
      String epoch = sub.getString("epoch");
      watcher.next(o -> o.containsKey("push") && o.getJsonObject("push").containsKey("join")
          && "victim".equals(o.getJsonObject("push").getJsonObject("join").getJsonObject("info").getString("user")));
      watcher.call("publish", new JsonObject().put("channel", ch).put("data", new JsonObject().put("n", 1)));
      long lastSeen = victim.nextPub(ch).getLong("offset");

      long killedAt = System.currentTimeMillis();
      c().kill();
      // the node's presence entries go within 10 s, with a leave push
      JsonObject leave = watcher.next(o -> o.containsKey("push") && o.getJsonObject("push").containsKey("leave"));
      long clearedAfter = System.currentTimeMillis() - killedAt;
      assertThat(leave.getJsonObject("push").getJsonObject("leave").getJsonObject("info").getString("user")).isEqualTo("victim");
      System.out.println("ClusterIT: presence of the killed node cleared, with a leave push, " + clearedAfter + " ms after kill -9");
      assertThat(clearedAfter).isLessThan(10_000);
      JsonObject stats = watcher.call("presence_stats", new JsonObject().put("channel", ch)).getJsonObject("presence_stats");
      assertThat(stats.getInteger("num_clients")).isEqualTo(1);

      // meanwhile more is published; the victim reconnects to another node and recovers all of it
      for (int i = 0; i < 5; i++) {
        watcher.call("publish", new JsonObject().put("channel", ch).put("data", new JsonObject().put("after", i)));
      }
      try (WsClient back = client(b(), "victim")) {
        JsonObject r = back.call("subscribe", new JsonObject().put("channel", ch).put("recover", true)
            .put("offset", lastSeen).put("epoch", epoch)).getJsonObject("subscribe");
        assertThat(r.getBoolean("recovered")).as("%s", r).isTrue();
        assertThat(r.getJsonArray("publications").stream().map(o -> ((JsonObject) o).getLong("offset")).toList())
            .containsExactly(lastSeen + 1, lastSeen + 2, lastSeen + 3, lastSeen + 4, lastSeen + 5);
      }
    }
  }
}
