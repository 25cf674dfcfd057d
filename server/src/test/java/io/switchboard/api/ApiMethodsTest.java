package io.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.Switchboard;
import io.switchboard.testsupport.TestServer;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every server API method against a real node, acting on live WebSocket clients. Each test uses its own
 * users and channels, so they don't see each other's traffic.
 */
class ApiMethodsTest {
  static TestServer server;
  static Vertx vertx;
  static ApiClient api;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start("""
        client:
          expired_close_delay: 1s
        """);
    vertx = Vertx.vertx();
    api = new ApiClient(server.port());
  }

  @AfterAll
  static void stop() {
    vertx.close();
    server.close();
  }

  static Switchboard.Parts node() {
    return server.node.parts();
  }

  static WsClient client(String user) throws Exception {
    WsClient c = WsClient.open(vertx, server.wsUrl());
    c.connect(server.token(user));
    return c;
  }

  static String id(WsClient c) {
    return c.seen().get(0).getJsonObject("connect").getString("client");
  }

  static Predicate<JsonObject> push(String channel, String kind) {
    return o -> o.containsKey("push") && channel.equals(o.getJsonObject("push").getString("channel"))
        && o.getJsonObject("push").containsKey(kind);
  }

  static JsonObject publish(String channel, Object data) throws Exception {
    return api.result("publish", new JsonObject().put("channel", channel).put("data", data));
  }

  static JsonObject obj(String json) {
    return new JsonObject(json);
  }

  // ---- publish and broadcast ----------------------------------------------------------------------------

  @Test
  void publishReachesSubscribersWithTheReturnedOffset() throws Exception {
    double before = node().metrics().registry().get("switchboard_publications").counter().count();
    try (WsClient b = client("pub-bob")) {
      String epoch = b.subscribe("chat:api-pub").getString("epoch");
      JsonObject r = api.result("publish", obj("""
          {"channel":"chat:api-pub","data":{"text":"hi"},"tags":{"kind":"greeting"}}"""));
      assertThat(r.getLong("offset")).isEqualTo(1L);
      assertThat(r.getString("epoch")).isEqualTo(epoch);
      JsonObject pub = b.nextPub("chat:api-pub");
      assertThat(pub.getLong("offset")).isEqualTo(1L);
      assertThat(pub.getJsonObject("data")).isEqualTo(obj("{\"text\":\"hi\"}"));
      assertThat(pub.getJsonObject("tags")).isEqualTo(obj("{\"kind\":\"greeting\"}"));
      assertThat(pub.containsKey("info")).as("server publications have no publisher").isFalse();
    }
    assertThat(node().metrics().registry().get("switchboard_publications").counter().count()).isEqualTo(before + 1);
  }

  @Test
  void idempotentPublishIsStoredAndDeliveredOnce() throws Exception {
    try (WsClient b = client("idem-bob")) {
      b.subscribe("chat:idem");
      JsonObject params = obj("{\"channel\":\"chat:idem\",\"data\":{\"n\":1},\"idempotency_key\":\"order-17\"}");
      JsonObject first = api.result("publish", params);
      JsonObject retry = api.result("publish", params);
      assertThat(retry).isEqualTo(first);
      assertThat(b.nextPub("chat:idem").getLong("offset")).isEqualTo(first.getLong("offset"));
      b.expectNone(push("chat:idem", "pub"), 300);
      assertThat(publish("chat:idem", 2).getLong("offset")).isEqualTo(first.getLong("offset") + 1);
    }
  }

  @Test
  void publishWithoutHistoryAnswersEmptyAndStillDelivers() throws Exception {
    try (WsClient b = client("eph-bob")) {
      b.subscribe("typing:eph");
      assertThat(publish("typing:eph", "typing")).isEqualTo(new JsonObject());
      JsonObject pub = b.nextPub("typing:eph");
      assertThat(pub.getString("data")).isEqualTo("typing");
      assertThat(pub.containsKey("offset")).isFalse();
      // skip_history in a history namespace: delivered, not stored, no position.
      b.subscribe("chat:skip");
      assertThat(api.result("publish", obj("{\"channel\":\"chat:skip\",\"data\":1,\"skip_history\":true}")))
          .isEqualTo(new JsonObject());
      assertThat(b.nextPub("chat:skip").getInteger("data")).isEqualTo(1);
      assertThat(api.result("history", obj("{\"channel\":\"chat:skip\",\"limit\":-1}")).getJsonArray("publications"))
          .isEmpty();
    }
  }

  @Test
  void publishChecksTheChannelName() throws Exception {
    assertThat(api.error("publish", obj("{\"channel\":\"nope:x\",\"data\":1}")).getInteger("code")).isEqualTo(102);
    assertThat(api.error("publish", obj("{\"channel\":\"bad name\",\"data\":1}")).getInteger("code")).isEqualTo(107);
    assertThat(api.error("publish", new JsonObject().put("channel", "x".repeat(300)).put("data", 1))
        .getInteger("code")).isEqualTo(106);
    assertThat(api.error("publish", obj("{\"data\":1}")).getInteger("code")).isEqualTo(107);
  }

  @Test
  void broadcastAnswersPerChannelInOrder() throws Exception {
    try (WsClient b = client("bc-bob")) {
      b.subscribe("chat:bc-1");
      b.subscribe("typing:bc-2");
      JsonObject r = api.result("broadcast", obj("""
          {"channels":["chat:bc-1","nope:bc","typing:bc-2","bad name"],"data":{"all":true}}"""));
      JsonArray responses = r.getJsonArray("responses");
      assertThat(responses).hasSize(4);
      assertThat(responses.getJsonObject(0).getJsonObject("result").getLong("offset")).isEqualTo(1L);
      assertThat(responses.getJsonObject(0).getJsonObject("result").getString("epoch")).isNotEmpty();
      assertThat(responses.getJsonObject(1).getJsonObject("error").getInteger("code")).isEqualTo(102);
      assertThat(responses.getJsonObject(2)).isEqualTo(obj("{\"result\":{}}"));
      assertThat(responses.getJsonObject(3).getJsonObject("error").getInteger("code")).isEqualTo(107);
      assertThat(b.nextPub("chat:bc-1").getJsonObject("data")).isEqualTo(obj("{\"all\":true}"));
      assertThat(b.nextPub("typing:bc-2").getJsonObject("data")).isEqualTo(obj("{\"all\":true}"));
    }
    assertThat(api.error("broadcast", obj("{\"channels\":[],\"data\":1}")).getInteger("code")).isEqualTo(107);
    assertThat(api.error("broadcast", obj("{\"channels\":[1],\"data\":1}")).getInteger("code")).isEqualTo(107);
  }

  // ---- actions on a user's connections ------------------------------------------------------------------

  @Test
  void serverSideSubscribePushesSubscribeThenPublicationsFlow() throws Exception {
    try (WsClient a1 = client("ss-alice"); WsClient a2 = client("ss-alice"); WsClient bob = client("ss-bob")) {
      assertThat(api.result("subscribe", obj("{\"user\":\"ss-alice\",\"channel\":\"chat:ss\"}")))
          .isEqualTo(new JsonObject());
      for (WsClient a : List.of(a1, a2)) {
        JsonObject sub = a.next(push("chat:ss", "subscribe")).getJsonObject("push").getJsonObject("subscribe");
        assertThat(sub.getBoolean("recoverable")).isTrue();
        assertThat(sub.getString("epoch")).isNotEmpty();
      }
      long offset = publish("chat:ss", "after").getLong("offset");
      for (WsClient a : List.of(a1, a2)) {
        assertThat(a.nextPub("chat:ss").getLong("offset")).isEqualTo(offset);
        List<JsonObject> seen = a.seen();
        int subscribeAt = indexOf(seen, push("chat:ss", "subscribe"));
        assertThat(subscribeAt).isLessThan(indexOf(seen, push("chat:ss", "pub")));
      }
      bob.expectNone(push("chat:ss", "subscribe").or(push("chat:ss", "pub")), 200);

      // Only the named connection.
      api.result("subscribe", new JsonObject().put("user", "ss-alice").put("channel", "chat:ss-one")
          .put("client", id(a1)));
      a1.next(push("chat:ss-one", "subscribe"));
      a2.expectNone(push("chat:ss-one", "subscribe"), 200);
    }
  }

  @Test
  void serverSideSubscribeRecoversSinceAPosition() throws Exception {
    publish("chat:ss-rec", 1);
    JsonObject second = publish("chat:ss-rec", 2);
    try (WsClient a = client("rec-alice")) {
      api.result("subscribe", new JsonObject().put("user", "rec-alice").put("channel", "chat:ss-rec")
          .put("recover_since", new JsonObject().put("offset", 1).put("epoch", second.getString("epoch"))));
      JsonObject sub = a.next(push("chat:ss-rec", "subscribe")).getJsonObject("push").getJsonObject("subscribe");
      assertThat(sub.getBoolean("recovered")).isTrue();
      JsonArray pubs = sub.getJsonArray("publications");
      assertThat(pubs).hasSize(1);
      assertThat(pubs.getJsonObject(0).getLong("offset")).isEqualTo(2L);
      assertThat(pubs.getJsonObject(0).getInteger("data")).isEqualTo(2);
    }
  }

  @Test
  void subscribeAndUnsubscribeValidate() throws Exception {
    assertThat(api.error("subscribe", obj("{\"channel\":\"chat:x\"}")).getInteger("code")).isEqualTo(107);
    assertThat(api.error("subscribe", obj("{\"user\":\"u\",\"channel\":\"nope:x\"}")).getInteger("code"))
        .isEqualTo(102);
    assertThat(api.error("subscribe", obj("{\"user\":\"u\",\"channel\":\"chat:x\",\"recover_since\":{\"offset\":\"1\"}}"))
        .getInteger("code")).isEqualTo(107);
    assertThat(api.error("unsubscribe", obj("{\"user\":\"u\"}")).getInteger("code")).isEqualTo(107);
    // Nobody connected: nothing to do, and that is fine.
    assertThat(api.result("subscribe", obj("{\"user\":\"nobody\",\"channel\":\"chat:x\"}"))).isEqualTo(new JsonObject());
  }

  @Test
  void unsubscribePushes2000AndStopsPublications() throws Exception {
    try (WsClient a = client("us-alice")) {
      a.subscribe("chat:us");
      assertThat(api.result("unsubscribe", obj("{\"user\":\"us-alice\",\"channel\":\"chat:us\"}")))
          .isEqualTo(new JsonObject());
      JsonObject push = a.next(push("chat:us", "unsubscribe")).getJsonObject("push").getJsonObject("unsubscribe");
      assertThat(push.getInteger("code")).isEqualTo(2000);
      assertThat(push.getString("reason")).isEqualTo("server unsubscribe");
      publish("chat:us", "gone");
      a.expectNone(push("chat:us", "pub"), 300);
      assertThat(a.isClosed()).isFalse();
    }
  }

  @Test
  void disconnectClosesWith3503ByDefault() throws Exception {
    try (WsClient a1 = client("dc-alice"); WsClient a2 = client("dc-alice")) {
      assertThat(api.result("disconnect", obj("{\"user\":\"dc-alice\"}"))).isEqualTo(new JsonObject());
      assertThat(a1.awaitClose()).isEqualTo((short) 3503);
      assertThat(a1.closeReason()).isEqualTo("force disconnect");
      assertThat(a2.awaitClose()).isEqualTo((short) 3503);
    }
  }

  @Test
  void disconnectWithCustomCodeOfOneClient() throws Exception {
    try (WsClient a1 = client("dc2-alice"); WsClient a2 = client("dc2-alice")) {
      api.result("disconnect", new JsonObject().put("user", "dc2-alice").put("client", id(a1))
          .put("disconnect", obj("{\"code\":4501,\"reason\":\"account closed\"}")));
      assertThat(a1.awaitClose()).isEqualTo((short) 4501);
      assertThat(a1.closeReason()).isEqualTo("account closed");
      assertThat(a2.call("unsubscribe", obj("{\"channel\":\"chat:none\"}")).containsKey("unsubscribe")).isTrue();
      assertThat(a2.isClosed()).isFalse();
    }
    for (String d : new String[] {"{\"code\":1000,\"reason\":\"x\"}", "{\"code\":4501,\"reason\":\"\"}",
        "{\"code\":4501}", "{\"code\":\"4501\",\"reason\":\"x\"}"}) {
      assertThat(api.error("disconnect", obj("{\"user\":\"u\",\"disconnect\":" + d + "}")).getInteger("code"))
          .as(d).isEqualTo(107);
    }
    assertThat(api.error("disconnect", obj("{\"user\":\"u\",\"disconnect\":{\"code\":4000,\"reason\":\""
        + "x".repeat(124) + "\"}}")).getInteger("code")).isEqualTo(107);
  }

  @Test
  void refreshExpiredCloses3005() throws Exception {
    try (WsClient a = client("rf-alice")) {
      assertThat(api.result("refresh", obj("{\"user\":\"rf-alice\",\"expired\":true}"))).isEqualTo(new JsonObject());
      assertThat(a.awaitClose()).isEqualTo((short) 3005);
    }
  }

  @Test
  void refreshSetsTheExpiry() throws Exception {
    try (WsClient kept = client("rf2-alice"); WsClient expiring = client("rf2-alice")) {
      long past = System.currentTimeMillis() / 1000 - 1;
      api.result("refresh", new JsonObject().put("user", "rf2-alice").put("client", id(expiring)).put("expire_at", past));
      // Closed by the sweeper once expire_at + expired_close_delay (1s) has passed.
      assertThat(expiring.awaitClose()).isEqualTo((short) 3005);
      assertThat(kept.isClosed()).isFalse();
    }
    assertThat(api.error("refresh", obj("{\"user\":\"u\",\"expire_at\":-5}")).getInteger("code")).isEqualTo(107);
    assertThat(api.error("refresh", obj("{\"user\":\"u\",\"expired\":\"yes\"}")).getInteger("code")).isEqualTo(107);
  }

  // ---- presence, history, channels, info ----------------------------------------------------------------

  @Test
  void presenceAndStatsOfConnectedClients() throws Exception {
    try (WsClient a1 = client("pr-alice"); WsClient a2 = client("pr-alice"); WsClient b = client("pr-bob")) {
      for (WsClient c : List.of(a1, a2, b)) {
        c.subscribe("chat:pr");
      }
      JsonObject presence = api.result("presence", obj("{\"channel\":\"chat:pr\"}")).getJsonObject("presence");
      assertThat(presence.fieldNames()).containsExactlyInAnyOrder(id(a1), id(a2), id(b));
      assertThat(presence.getJsonObject(id(b))).isEqualTo(new JsonObject().put("user", "pr-bob").put("client", id(b)));
      assertThat(api.result("presence_stats", obj("{\"channel\":\"chat:pr\"}")))
          .isEqualTo(obj("{\"num_clients\":3,\"num_users\":2}"));
    }
    assertThat(api.result("presence", obj("{\"channel\":\"chat:pr-empty\"}")))
        .isEqualTo(obj("{\"presence\":{}}"));
    assertThat(api.error("presence", obj("{\"channel\":\"typing:x\"}")).getInteger("code")).isEqualTo(108);
    assertThat(api.error("presence_stats", obj("{\"channel\":\"news\"}")).getInteger("code")).isEqualTo(108);
    assertThat(api.error("presence_stats", obj("{\"channel\":\"nope:x\"}")).getInteger("code")).isEqualTo(102);
  }

  @Test
  void historyAndHistoryRemoveKeepThePosition() throws Exception {
    for (int i = 1; i <= 3; i++) {
      publish("chat:hist", i);
    }
    JsonObject all = api.result("history", obj("{\"channel\":\"chat:hist\",\"limit\":-1}"));
    String epoch = all.getString("epoch");
    assertThat(all.getLong("offset")).isEqualTo(3L);
    assertThat(all.getJsonArray("publications").stream().map(p -> ((JsonObject) p).getInteger("data")))
        .containsExactly(1, 2, 3);
    JsonObject page = api.result("history", obj("{\"channel\":\"chat:hist\",\"limit\":2,\"reverse\":true}"));
    assertThat(page.getJsonArray("publications").stream().map(p -> ((JsonObject) p).getLong("offset")))
        .containsExactly(3L, 2L);
    JsonObject positionOnly = api.result("history", obj("{\"channel\":\"chat:hist\"}"));
    assertThat(positionOnly).isEqualTo(new JsonObject().put("publications", new JsonArray()).put("epoch", epoch)
        .put("offset", 3));

    assertThat(api.result("history_remove", obj("{\"channel\":\"chat:hist\"}"))).isEqualTo(new JsonObject());
    JsonObject after = api.result("history", obj("{\"channel\":\"chat:hist\",\"limit\":-1}"));
    assertThat(after).isEqualTo(new JsonObject().put("publications", new JsonArray()).put("epoch", epoch)
        .put("offset", 3));
    assertThat(publish("chat:hist", 4)).isEqualTo(new JsonObject().put("offset", 4).put("epoch", epoch));
    JsonArray pubs = api.result("history", obj("{\"channel\":\"chat:hist\",\"limit\":-1}")).getJsonArray("publications");
    assertThat(pubs).hasSize(1);
    assertThat(pubs.getJsonObject(0).getLong("offset")).isEqualTo(4L);

    assertThat(api.error("history", obj("{\"channel\":\"typing:x\"}")).getInteger("code")).isEqualTo(108);
    assertThat(api.error("history_remove", obj("{\"channel\":\"news\"}")).getInteger("code")).isEqualTo(108);
    assertThat(api.error("history", obj("{\"channel\":\"chat:hist\",\"limit\":-2}")).getInteger("code")).isEqualTo(107);
    assertThat(api.error("history", obj("{\"channel\":\"chat:hist\",\"limit\":1,\"since\":{\"offset\":1,"
        + "\"epoch\":\"not-the-epoch\"}}")).getInteger("code")).isEqualTo(112);
  }

  @Test
  void channelsWithAndWithoutPattern() throws Exception {
    try (WsClient a = client("ch-alice"); WsClient b = client("ch-bob")) {
      a.subscribe("chat:chan-1");
      b.subscribe("chat:chan-1");
      a.subscribe("typing:chan-2");
      JsonObject all = api.result("channels", new JsonObject()).getJsonObject("channels");
      assertThat(all.getJsonObject("chat:chan-1")).isEqualTo(obj("{\"num_clients\":2}"));
      assertThat(all.getJsonObject("typing:chan-2")).isEqualTo(obj("{\"num_clients\":1}"));
      assertThat(all.getJsonObject("notify:#ch-alice")).isEqualTo(obj("{\"num_clients\":1}"));
      assertThat(api.result("channels", obj("{\"pattern\":\"chat:chan-*\"}")))
          .isEqualTo(obj("{\"channels\":{\"chat:chan-1\":{\"num_clients\":2}}}"));
      assertThat(api.result("channels", obj("{\"pattern\":\"*:chan-?\"}")).getJsonObject("channels").fieldNames())
          .containsExactlyInAnyOrder("chat:chan-1", "typing:chan-2");
      assertThat(api.result("channels", obj("{\"pattern\":\"notify:#ch-*\"}")).getJsonObject("channels").fieldNames())
          .containsExactlyInAnyOrder("notify:#ch-alice", "notify:#ch-bob");
    }
    assertThat(api.error("channels", obj("{\"pattern\":5}")).getInteger("code")).isEqualTo(107);
  }

  @Test
  void infoCountsThisNode() throws Exception {
    awaitNoClients();
    try (WsClient a1 = client("info-alice"); WsClient a2 = client("info-alice"); WsClient b = client("info-bob")) {
      a1.subscribe("chat:info");
      JsonArray nodes = api.result("info", new JsonObject()).getJsonArray("nodes");
      assertThat(nodes).hasSize(1);
      JsonObject n = nodes.getJsonObject(0);
      assertThat(n.getString("uid")).isEqualTo(node().status().id());
      assertThat(n.getString("name")).isEqualTo(node().config().nodeName()).isNotEmpty();
      assertThat(n.getString("version")).isEqualTo(io.switchboard.ops.NodeStatus.VERSION);
      assertThat(n.getInteger("num_clients")).isEqualTo(3);
      assertThat(n.getInteger("num_users")).isEqualTo(2);
      // notify:#info-alice (2 connections), notify:#info-bob, chat:info.
      assertThat(n.getInteger("num_channels")).isEqualTo(3);
      assertThat(n.getInteger("num_subs")).isEqualTo(4);
      assertThat(n.getLong("uptime")).isGreaterThanOrEqualTo(0L);
    }
  }

  // ---- batch --------------------------------------------------------------------------------------------

  @Test
  void batchRunsCommandsInOrderWithPerCommandErrors() throws Exception {
    JsonObject r = api.result("batch", obj("""
        {"commands":[
          {"publish":{"channel":"chat:batch","data":1}},
          {"publish":{"channel":"nope:x","data":1}},
          {"nope":{}},
          {"batch":{"commands":[]}},
          {"publish":{"channel":"chat:batch","data":2}},
          {"history":{"channel":"chat:batch","limit":-1}},
          "not an object"
        ]}"""));
    JsonArray replies = r.getJsonArray("replies");
    assertThat(replies).hasSize(7);
    assertThat(replies.getJsonObject(0).getJsonObject("publish").getLong("offset")).isEqualTo(1L);
    assertThat(replies.getJsonObject(1).getJsonObject("error").getInteger("code")).isEqualTo(102);
    assertThat(replies.getJsonObject(2).getJsonObject("error").getInteger("code")).isEqualTo(104);
    assertThat(replies.getJsonObject(3).getJsonObject("error").getInteger("code")).isEqualTo(104);
    assertThat(replies.getJsonObject(4).getJsonObject("publish").getLong("offset")).isEqualTo(2L);
    // Sequential: the history read sees both publications before it.
    assertThat(replies.getJsonObject(5).getJsonObject("history").getJsonArray("publications")).hasSize(2);
    assertThat(replies.getJsonObject(6).getJsonObject("error").getInteger("code")).isEqualTo(107);
  }

  @Test
  void parallelBatch() throws Exception {
    JsonObject r = api.result("batch", obj("""
        {"parallel":true,"commands":[
          {"publish":{"channel":"chat:batch-par","data":1}},
          {"publish":{"channel":"chat:batch-par","data":2}},
          {"publish":{"channel":"chat:batch-par","data":3}},
          {"info":{}}
        ]}"""));
    JsonArray replies = r.getJsonArray("replies");
    assertThat(replies.stream().limit(3).map(o -> ((JsonObject) o).getJsonObject("publish").getLong("offset")))
        .containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(replies.getJsonObject(3).getJsonObject("info").getJsonArray("nodes")).hasSize(1);
    assertThat(api.error("batch", obj("{\"parallel\":true}")).getInteger("code")).isEqualTo(107);
  }

  private static int indexOf(List<JsonObject> seen, Predicate<JsonObject> p) {
    for (int i = 0; i < seen.size(); i++) {
      if (p.test(seen.get(i))) {
        return i;
      }
    }
    throw new AssertionError("not seen: " + seen);
  }

  /** Clients closed by earlier tests leave the node asynchronously. */
  private static void awaitNoClients() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (node().hub().numClients() > 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(node().hub().numClients()).isZero();
  }
}
