package io.switchboard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.auth.TokenMinter;
import io.switchboard.testsupport.NodeProcess;
import io.switchboard.testsupport.TestPostgres;
import io.switchboard.testsupport.TestServer;
import io.switchboard.testsupport.WebhookReceiver;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Webhooks from three clustered server processes over one PostgreSQL to one receiver over real HTTP: every
 * cluster-wide change arrives exactly once and signed, whichever nodes its connections were on; a receiver that
 * is down for 20 s gets everything when it comes back; a node killed with -9 has its members removed once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhooksClusterIT {
  static final String SECRET = TestServer.SECRET;
  static final String HOOK_SECRET = "webhook-secret-0123456789";
  static final TokenMinter MINTER = new TokenMinter(SECRET);
  /** Longer than a flush (100 ms) plus a send, on a busy machine: what did not come by then will not. */
  static final long SETTLE_MS = 1000;
  static final List<NodeProcess> nodes = new ArrayList<>();
  static Vertx vertx;
  static WebhookReceiver receiver;

  @BeforeAll
  static void startCluster() throws Exception {
    vertx = Vertx.vertx();
    receiver = new WebhookReceiver(vertx, HOOK_SECRET).start();
    TestPostgres.Db db = TestPostgres.freshDatabase();
    Path conf = Path.of("target", "webhooks-it.yaml");
    Files.createDirectories(conf.getParent());
    // Quick retries, so that the receiver's return is noticed within seconds.
    Files.writeString(conf, "webhooks:\n  retry_base: 200ms\n  retry_max: 2s\n  poll_interval: 300ms\n");
    int[] hz = {TestServer.freePort(), TestServer.freePort(), TestServer.freePort()};
    String members = "127.0.0.1:" + hz[0] + ",127.0.0.1:" + hz[1] + ",127.0.0.1:" + hz[2];
    List<Thread> starting = new ArrayList<>();
    List<Exception> failures = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 3; i++) {
      Map<String, String> env = new HashMap<>();
      env.put("SWITCHBOARD_PG_URL", db.url());
      env.put("SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET);
      env.put("SWITCHBOARD_PUSH_ENABLED", "false");
      env.put("SWITCHBOARD_WEBHOOK_URLS", receiver.url());
      env.put("SWITCHBOARD_WEBHOOK_SECRET", HOOK_SECRET);
      env.put("SWITCHBOARD_CLUSTER_MEMBERS", members);
      env.put("SWITCHBOARD_CLUSTER_HOST", "127.0.0.1");
      env.put("SWITCHBOARD_CLUSTER_PORT", Integer.toString(hz[i]));
      env.put("SWITCHBOARD_EVENTBUS_PORT", Integer.toString(TestServer.freePort()));
      env.put("SWITCHBOARD_NODE_NAME", "hooks-" + (char) ('a' + i));
      env.put("SWITCHBOARD_DRAIN_WINDOW", "1s");
      env.put("SWITCHBOARD_SHUTDOWN_GRACE", "10s");
      int port = TestServer.freePort();
      env.put("SWITCHBOARD_ALLOWED_HOSTS", "127.0.0.1:" + port); // not demo nodes: the test client's Origin
      NodeProcess n = new NodeProcess("webhooks-node-" + (char) ('a' + i), port, env)
          .withArgs("--conf", conf.toAbsolutePath().toString());
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
    if (receiver != null) {
      receiver.close();
    }
    vertx.close();
  }

  static WsClient client(NodeProcess node, String user) throws Exception {
    WsClient c = WsClient.open(vertx, node.wsUrl());
    c.connect(MINTER.mint(user, Duration.ofHours(1)));
    return c;
  }

  static NodeProcess node(int i) {
    return nodes.get(i);
  }

  /** Waits until {@code count} events match (type, channel or null, user or null), then returns them. */
  static List<JsonObject> await(String type, String channel, String user, int count, long ms) throws Exception {
    long deadline = System.currentTimeMillis() + ms;
    while (System.currentTimeMillis() < deadline) {
      if (receiver.of(type, channel, user).size() >= count) {
        break;
      }
      Thread.sleep(50);
    }
    List<JsonObject> got = receiver.of(type, channel, user);
    assertThat(got).as("%s of %s/%s within %d ms", type, channel, user, ms).hasSizeGreaterThanOrEqualTo(count);
    return got;
  }

  static void assertCount(String type, String channel, String user, int expected) {
    assertThat(receiver.of(type, channel, user)).as("%s of %s/%s", type, channel, user).hasSize(expected);
  }

  @Test
  @Order(1)
  void occupancyAndMembersArriveOncePerChangeWhicheverNodesTheUserIsOn() throws Exception {
    String ch = "chat:w1";
    WsClient aliceOnA = client(node(0), "alice");
    aliceOnA.subscribe(ch);
    await("member_added", ch, "alice", 1, 10_000);
    await("channel_occupied", ch, null, 1, 5_000);
    await("client_connected", null, "alice", 1, 5_000);

    WsClient aliceOnB = client(node(1), "alice"); // the same user on a second node: no new event
    aliceOnB.subscribe(ch);
    WsClient bobOnC = client(node(2), "bob");
    bobOnC.subscribe(ch);
    await("member_added", ch, "bob", 1, 5_000);
    Thread.sleep(SETTLE_MS);
    assertCount("member_added", ch, "alice", 1);
    assertCount("client_connected", null, "alice", 1);
    assertCount("channel_occupied", ch, null, 1);

    aliceOnA.close(); // alice is still on B
    Thread.sleep(SETTLE_MS);
    assertCount("member_removed", ch, "alice", 0);
    assertCount("client_disconnected", null, "alice", 0);

    aliceOnB.close();
    await("member_removed", ch, "alice", 1, 5_000);
    await("client_disconnected", null, "alice", 1, 5_000);
    assertCount("channel_vacated", ch, null, 0); // bob is still there

    bobOnC.close();
    await("member_removed", ch, "bob", 1, 5_000);
    await("channel_vacated", ch, null, 1, 5_000);
    Thread.sleep(SETTLE_MS);
    for (String type : List.of("member_added", "member_removed")) {
      assertCount(type, ch, "alice", 1);
      assertCount(type, ch, "bob", 1);
    }
    assertCount("channel_occupied", ch, null, 1);
    assertCount("channel_vacated", ch, null, 1);
    assertCount("client_connected", null, "bob", 1);
    assertCount("client_disconnected", null, "bob", 1);
    assertEveryIdOnceAndSigned();
  }

  @Test
  @Order(2)
  void theSameUserJoiningAndLeavingOnThreeNodesAtOnceIsOneChange() throws Exception {
    String ch = "chat:w2";
    List<WsClient> carol = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      carol.add(client(node(i), "carol"));
    }
    List<Long> ids = new ArrayList<>();
    for (WsClient c : carol) { // three subscribes in flight at once, one per node
      ids.add(c.send("subscribe", new JsonObject().put("channel", ch)));
    }
    for (int i = 0; i < 3; i++) {
      assertThat(carol.get(i).reply(ids.get(i)).containsKey("error")).isFalse();
    }
    await("member_added", ch, "carol", 1, 10_000);
    carol.forEach(WsClient::close); // and three leaves at once
    await("member_removed", ch, "carol", 1, 10_000);
    await("channel_vacated", ch, null, 1, 5_000);
    Thread.sleep(SETTLE_MS);
    assertCount("member_added", ch, "carol", 1);
    assertCount("member_removed", ch, "carol", 1);
    assertCount("channel_occupied", ch, null, 1);
    assertCount("channel_vacated", ch, null, 1);
    assertCount("client_connected", null, "carol", 1);
    assertCount("client_disconnected", null, "carol", 1);
    assertEveryIdOnceAndSigned();
  }

  @Test
  @Order(3)
  void aReceiverDownFor20SecondsGetsEveryEventWhenItComesBack() throws Exception {
    String ch = "chat:down";
    receiver.stop();
    int before = receiver.events.size();
    long downAt = System.currentTimeMillis();
    List<String> users = List.of("u1", "u2", "u3", "u4", "u5", "u6");
    for (int i = 0; i < users.size(); i++) {
      WsClient c = client(node(i % 3), users.get(i));
      c.subscribe(ch);
      Thread.sleep(300); // longer than a flush: the join is its own change
      c.close();
    }
    Thread.sleep(Math.max(0, 20_000 - (System.currentTimeMillis() - downAt)));
    assertThat(receiver.events).hasSize(before); // nothing could arrive while it was down
    receiver.start();
    for (String u : users) {
      await("member_added", ch, u, 1, 15_000);
      await("member_removed", ch, u, 1, 15_000);
      await("client_connected", null, u, 1, 15_000);
      await("client_disconnected", null, u, 1, 15_000);
    }
    Thread.sleep(SETTLE_MS);
    for (String u : users) {
      assertCount("member_added", ch, u, 1);
      assertCount("member_removed", ch, u, 1);
    }
    assertThat(receiver.of("channel_occupied", ch, null).size())
        .isEqualTo(receiver.of("channel_vacated", ch, null).size()).isGreaterThanOrEqualTo(1);
    assertEveryIdOnceAndSigned();
    assertThat(sumMetric("switchboard_webhook_retried_total")).as("retries counted").isGreaterThan(0);
  }

  @Test
  @Order(4)
  void aKilledNodesMembersAreRemovedOnceAfterTheClusterNotices() throws Exception {
    String ch = "chat:kill";
    WsClient eveOnA = client(node(0), "eve");
    eveOnA.subscribe(ch);
    WsClient daveOnC = client(node(2), "dave");
    daveOnC.subscribe(ch);
    await("member_added", ch, "dave", 1, 10_000);
    await("member_added", ch, "eve", 1, 10_000);
    long killedAt = System.currentTimeMillis();
    node(2).kill();
    await("member_removed", ch, "dave", 1, 30_000);
    await("client_disconnected", null, "dave", 1, 5_000);
    long noticedMs = System.currentTimeMillis() - killedAt;
    Thread.sleep(3 * SETTLE_MS); // both survivors release the dead node; only one may enqueue
    assertCount("member_removed", ch, "dave", 1);
    assertCount("client_disconnected", null, "dave", 1);
    assertCount("member_removed", "notify:#dave", "dave", 1);
    assertCount("member_removed", ch, "eve", 0);
    assertCount("channel_vacated", ch, null, 0);
    eveOnA.close();
    daveOnC.close();
    await("channel_vacated", ch, null, 1, 5_000);
    assertEveryIdOnceAndSigned();
    System.out.println("kill -9: member_removed arrived " + noticedMs + " ms after the kill");
  }

  static void assertEveryIdOnceAndSigned() {
    assertThat(receiver.badSignatures).as("requests with a bad signature").isEmpty();
    List<String> ids = receiver.events.stream().map(e -> e.getString("id")).toList();
    assertThat(new HashSet<>(ids)).as("distinct event ids").hasSize(ids.size());
    assertThat(receiver.batchSizes).allSatisfy(n -> assertThat(n).isBetween(1, 100));
  }

  static double sumMetric(String name) throws Exception {
    double sum = 0;
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (NodeProcess n : nodes) {
      if (!n.alive()) {
        continue;
      }
      String text = http.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + n.httpPort + "/metrics")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      for (String line : text.split("\n")) {
        if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return sum;
  }
}
