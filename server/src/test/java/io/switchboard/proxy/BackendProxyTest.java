package io.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testsupport.TestServer;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 15, the proxy: a real application backend over HTTP ({@link AppBackend}) authenticates by cookie,
 * refuses a subscription, rewrites a publication and answers an RPC; then it is stopped, and every proxied
 * command gets the defined error at once (docs/proxy.md). The backend's failures (timeout, status, bad JSON, a
 * body too large, too many requests in flight or waiting) each map to their defined error; a call past the
 * in-flight bound waits for a slot within its timeout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackendProxyTest {
  static AppBackend backend;
  static TestServer server;
  static Vertx vertx;
  static final List<WsClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    backend = new AppBackend();
    vertx = Vertx.vertx();
    server = TestServer.start("""
        proxies:
          - {name: connect, endpoint: "%1$s/connect", timeout: 500ms, http_headers: [Cookie]}
          - {name: refresh, endpoint: "%1$s/refresh", timeout: 500ms, http_headers: [Cookie]}
          - {name: subscribe, endpoint: "%1$s/subscribe", timeout: 500ms}
          - {name: publish, endpoint: "%1$s/publish", timeout: 500ms}
          - {name: rpc, endpoint: "%1$s/rpc", timeout: 500ms, http_headers: [Cookie]}
          - {name: sub_refresh, endpoint: "%1$s/sub_refresh", timeout: 500ms}
          - {name: quick_publish, endpoint: "%1$s/publish", timeout: 400ms}
        connect_proxy: connect
        refresh_proxy: refresh
        rpc_proxy: rpc
        proxy_max_in_flight: 2
        proxy_max_waiting: 1
        proxy_max_response_bytes: 4096
        channels:
          namespaces:
            room:
              history_size: 10
              history_ttl: 60s
              allow_history_for_subscriber: true
              subscribe_proxy: subscribe
              publish_proxy: publish
            secret:
              subscribe_proxy: subscribe
            brief:
              subscribe_proxy: subscribe
              sub_refresh_proxy: sub_refresh
            quick:
              subscribe_proxy: subscribe
              history_size: 10
              history_ttl: 60s
              allow_history_for_subscriber: true
              publish_proxy: quick_publish
        """.formatted("http://127.0.0.1:" + backend.port()));
  }

  @AfterAll
  static void stop() {
    clients.forEach(WsClient::close);
    server.close();
    backend.close();
    vertx.close();
  }

  static WsClient open(String cookie) throws Exception {
    WsClient c = WsClient.openWithHeaders(vertx, server.wsUrl(), cookie == null ? Map.of() : Map.of("Cookie", cookie));
    clients.add(c);
    return c;
  }

  static JsonObject connectReply(WsClient c) throws Exception {
    return c.call("connect", new JsonObject());
  }

  static int code(JsonObject reply) {
    assertThat(reply.containsKey("error")).as("an error reply: %s", reply).isTrue();
    return reply.getJsonObject("error").getInteger("code");
  }

  static JsonArray history(WsClient c, String channel) throws Exception {
    return c.call("history", new JsonObject().put("channel", channel).put("limit", -1)).getJsonObject("history")
        .getJsonArray("publications", new JsonArray());
  }

  static JsonObject publish(WsClient c, String channel, String text) throws Exception {
    return c.call("publish", new JsonObject().put("channel", channel).put("data", new JsonObject().put("text", text)));
  }

  @Test
  @Order(1)
  void aConnectionWithoutATokenIsAuthenticatedByItsCookie() throws Exception {
    WsClient alice = open("session=alice");
    JsonObject r = connectReply(alice);
    assertThat(r.getJsonObject("connect").getString("client")).isNotEmpty();
    // The backend extends it server-side: the client is not told to refresh.
    assertThat(r.getJsonObject("connect").getBoolean("expires", false)).isFalse();
    // The backend's data goes in the reply, and its subs become server-side subscriptions.
    assertThat(r.getJsonObject("connect").getJsonObject("data").getString("welcome")).isEqualTo("Alice");
    assertThat(r.getJsonObject("connect").getJsonObject("subs").fieldNames()).contains("secret:alice");
    AppBackend.Seen seen = backend.to("/connect").getLast();
    assertThat(seen.cookie()).isEqualTo("session=alice");
    assertThat(seen.body().getString("client")).isEqualTo(r.getJsonObject("connect").getString("client"));
    assertThat(seen.body().getString("transport")).isEqualTo("websocket");
    assertThat(seen.body().getString("protocol")).isEqualTo("json");
    assertThat(seen.body().getString("encoding")).isEqualTo("json");

    // The user and meta the backend gave come back with every later proxy request (here an RPC).
    JsonObject echo = alice.call("rpc", new JsonObject().put("method", "echo").put("data", new JsonObject().put("x", 1)))
        .getJsonObject("rpc").getJsonObject("data");
    assertThat(echo.getString("user")).isEqualTo("alice");
    assertThat(echo.getJsonObject("meta").getString("tenant")).isEqualTo("t1");
    assertThat(echo.getJsonObject("echo").getInteger("x")).isEqualTo(1);
    assertThat(backend.to("/rpc").getLast().cookie()).isEqualTo("session=alice");
  }

  @Test
  @Order(2)
  void theBackendsErrorAndDisconnectReachTheClient() throws Exception {
    WsClient nobody = open(null);
    JsonObject r = connectReply(nobody);
    assertThat(code(r)).isEqualTo(1401);
    assertThat(r.getJsonObject("error").getString("message")).isEqualTo("who are you");

    WsClient banned = open("session=mallory");
    banned.send("connect", new JsonObject());
    assertThat(banned.awaitClose()).isEqualTo((short) 4501);
    assertThat(banned.closeReason()).isEqualTo("banned");

    WsClient bob = open("session=bob");
    connectReply(bob);
    assertThat(code(bob.call("rpc", new JsonObject().put("method", "nope")))).isEqualTo(1404);
    // Switchboard's own methods stay local: the backend never hears of them.
    int rpcs = backend.to("/rpc").size();
    bob.call("rpc", new JsonObject().put("method", "unread"));
    assertThat(backend.to("/rpc")).hasSize(rpcs);
  }

  @Test
  @Order(3)
  void aRefusedSubscriptionGetsTheBackendsErrorAndAnAllowedOneItsInfo() throws Exception {
    WsClient bob = open("session=bob");
    connectReply(bob);
    assertThat(code(bob.call("subscribe", new JsonObject().put("channel", "secret:vault")))).isEqualTo(1403);
    JsonObject ok = bob.call("subscribe", new JsonObject().put("channel", "room:1"));
    assertThat(ok.containsKey("subscribe")).as("%s", ok).isTrue();
    assertThat(backend.to("/subscribe").getLast().body().getString("user")).isEqualTo("bob");
  }

  @Test
  @Order(4)
  void onlyWhatTheBackendAcceptsIsStoredAndItsReplacementIsWhatHistoryHolds() throws Exception {
    WsClient bob = open("session=bob");
    connectReply(bob);
    bob.subscribe("room:mod");
    assertThat(code(publish(bob, "room:mod", "buy spam"))).isEqualTo(1500);
    assertThat(history(bob, "room:mod")).isEmpty();

    assertThat(publish(bob, "room:mod", "darn it").containsKey("publish")).isTrue();
    assertThat(bob.nextPub("room:mod").getJsonObject("data").getString("text")).isEqualTo("**** it");
    JsonArray h = history(bob, "room:mod");
    assertThat(h).hasSize(1);
    assertThat(h.getJsonObject(0).getJsonObject("data").getString("text")).isEqualTo("**** it");
    AppBackend.Seen seen = backend.to("/publish").getLast();
    assertThat(seen.body().getString("channel")).isEqualTo("room:mod");
    assertThat(seen.body().getJsonObject("data").getString("text")).isEqualTo("darn it");
  }

  @Test
  @Order(5)
  void connectionsTheBackendAuthenticatedAreRefreshedBeforeTheyGo() throws Exception {
    WsClient alice = open("session=alice"); // expire_at now + 1 s: refreshed, extended by an hour
    connectReply(alice);
    WsClient carol = open("session=carol"); // expire_at now + 1 s: the backend says expired
    connectReply(carol);
    assertThat(carol.awaitClose(6000)).isEqualTo((short) 3005);
    AppBackend.Seen refresh = backend.to("/refresh").stream()
        .filter(s -> "alice".equals(s.body().getString("user"))).findFirst().orElseThrow();
    assertThat(refresh.body().getJsonObject("meta").getString("tenant")).isEqualTo("t1");
    assertThat(refresh.cookie()).isEqualTo("session=alice");
    assertThat(alice.call("rpc", new JsonObject().put("method", "echo")).containsKey("rpc")).isTrue();
    assertThat(alice.isClosed()).isFalse();
  }

  @Test
  @Order(5)
  void subscriptionsTheBackendLimitedAreRefreshedByItServerSide() throws Exception {
    WsClient bob = open("session=bob");
    connectReply(bob);
    JsonObject stay = bob.call("subscribe", new JsonObject().put("channel", "brief:stay")).getJsonObject("subscribe");
    assertThat(stay.getBoolean("expires", false)).as("the client is not asked to refresh: %s", stay).isFalse();
    bob.call("subscribe", new JsonObject().put("channel", "brief:gone"));
    JsonObject unsub = bob.next(m -> m.containsKey("push")
        && "brief:gone".equals(m.getJsonObject("push").getString("channel"))
        && m.getJsonObject("push").containsKey("unsubscribe"));
    assertThat(unsub.getJsonObject("push").getJsonObject("unsubscribe").getInteger("code")).isEqualTo(2501);
    AppBackend.Seen refreshed = null;
    for (long end = System.currentTimeMillis() + 5000; refreshed == null && System.currentTimeMillis() < end; ) {
      refreshed = backend.to("/sub_refresh").stream()
          .filter(s -> "brief:stay".equals(s.body().getString("channel"))).findFirst().orElse(null);
      Thread.sleep(20); // the same sweep asks for both subscriptions, in either order
    }
    assertThat(refreshed).as("a sub_refresh request for brief:stay").isNotNull();
    assertThat(refreshed.body().getString("user")).isEqualTo("bob");
    // Still subscribed (for an hour more): subscribing again is 105.
    assertThat(bob.call("subscribe", new JsonObject().put("channel", "brief:stay")).getJsonObject("error")
        .getInteger("code")).isEqualTo(105);
  }

  @Test
  @Order(6)
  void eachBackendFailureIsInternalAndQuick() throws Exception {
    WsClient bob = open("session=bob");
    connectReply(bob);
    bob.subscribe("room:fail");
    for (String failure : List.of("hang", "status 500", "not json", "huge")) {
      long t0 = System.nanoTime();
      JsonObject r = publish(bob, "room:fail", failure);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(code(r)).as(failure).isEqualTo(100);
      assertThat(r.getJsonObject("error").getBoolean("temporary")).as(failure).isTrue();
      assertThat(ms).as(failure + " answered within the 500ms timeout and a margin").isLessThan(1500);
    }
    assertThat(history(bob, "room:fail")).isEmpty();
  }

  /** Three connections of bob's subscribed to {@code channel}. */
  static List<WsClient> three(String channel) throws Exception {
    List<WsClient> cs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      WsClient c = open("session=bob");
      connectReply(c);
      c.subscribe(channel);
      cs.add(c);
    }
    return cs;
  }

  static long send(WsClient c, String channel, String text) throws Exception {
    return c.send("publish", new JsonObject().put("channel", channel).put("data", new JsonObject().put("text", text)));
  }

  @Test
  @Order(7)
  void pastTheBoundInFlightACallWaitsForASlotAndPastTheWaitingBoundGetsTooManyRequestsAtOnce() throws Exception {
    List<WsClient> cs = three("room:busy");
    WsClient fourth = open("session=bob");
    connectReply(fourth);
    Thread.sleep(600); // earlier hanging requests are over
    // Two slow publishes (200 ms each) fill the node's 2 slots.
    long a = send(cs.get(0), "room:busy", "slow");
    long b = send(cs.get(1), "room:busy", "slow");
    Thread.sleep(50);
    // The third waits for a slot (the one waiting place; at most half its 500 ms timeout) instead of failing at
    // once...
    long t0 = System.nanoTime();
    long c = send(cs.get(2), "room:busy", "waited");
    Thread.sleep(50);
    // ...and a fourth finds no place to wait: 111 at once, with no request.
    long t1 = System.nanoTime();
    JsonObject over = publish(fourth, "room:busy", "over");
    assertThat(code(over)).isEqualTo(111);
    assertThat(over.getJsonObject("error").getBoolean("temporary")).isTrue();
    assertThat((System.nanoTime() - t1) / 1_000_000).isLessThan(200);
    JsonObject waited = cs.get(2).reply(c);
    long waitedMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(waited.containsKey("error")).as("the waiting publish is accepted: %s", waited).isFalse();
    assertThat(waitedMs).as("it waited for a slow request to end").isGreaterThanOrEqualTo(100);
    assertThat(cs.get(0).reply(a).containsKey("error")).isFalse();
    assertThat(cs.get(1).reply(b).containsKey("error")).isFalse();
    assertThat(history(cs.get(0), "room:busy")).extracting(p -> ((JsonObject) p).getJsonObject("data").getString("text"))
        .containsExactlyInAnyOrder("slow", "slow", "waited");
    assertThat(backend.to("/publish")).noneMatch(s -> "over".equals(s.body().getJsonObject("data").getString("text")));
  }

  @Test
  @Order(8)
  void aCallThatFindsNoSlotWithinItsTimeoutGetsTooManyRequests() throws Exception {
    List<WsClient> cs = three("room:stuck");
    cs.get(2).subscribe("quick:room");
    Thread.sleep(600);
    // Two hanging publishes hold both slots for their 500 ms; a publish with a 400 ms timeout waits half of it for
    // a slot (leaving the other half to the request), then fails without a request.
    long a = send(cs.get(0), "room:stuck", "hang");
    long b = send(cs.get(1), "room:stuck", "hang");
    Thread.sleep(50);
    long t0 = System.nanoTime();
    JsonObject r = publish(cs.get(2), "quick:room", "never sent");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(code(r)).isEqualTo(111);
    assertThat(ms).as("failed when its wait (half the timeout) ended, not before nor much after").isBetween(150L, 400L);
    assertThat(history(cs.get(2), "quick:room")).isEmpty();
    assertThat(backend.to("/publish")).noneMatch(s -> "never sent".equals(s.body().getJsonObject("data").getString("text")));
    assertThat(code(cs.get(0).reply(a))).isEqualTo(100);
    assertThat(code(cs.get(1).reply(b))).isEqualTo(100);
  }

  @Test
  @Order(9)
  void aStoppedBackendGivesTheDefinedErrorsQuickly() throws Exception {
    WsClient bob = open("session=bob");
    connectReply(bob);
    bob.subscribe("room:down");
    backend.close();
    long t0 = System.nanoTime();
    assertThat(code(publish(bob, "room:down", "hello"))).isEqualTo(100);
    assertThat(code(bob.call("subscribe", new JsonObject().put("channel", "room:other")))).isEqualTo(100);
    assertThat(code(bob.call("rpc", new JsonObject().put("method", "echo")))).isEqualTo(100);
    assertThat(history(bob, "room:down")).isEmpty();
    WsClient late = open("session=bob");
    assertThat(code(connectReply(late))).isEqualTo(100);
    assertThat((System.nanoTime() - t0) / 1_000_000).as("four commands against a stopped backend").isLessThan(3000);
  }
}
