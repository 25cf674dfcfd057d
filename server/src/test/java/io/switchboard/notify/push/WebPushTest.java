package io.switchboard.notify.push;

import io.switchboard.crypto.P256;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.notify.PushQueue.PushJob;
import io.switchboard.testsupport.BrowserSubscription;
import io.switchboard.testsupport.PushServiceStub;
import io.switchboard.testsupport.PushServiceStub.Answer;
import io.switchboard.testsupport.PushServiceStub.Received;
import io.switchboard.testsupport.TestServer;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Web Push end to end in one JVM: a real node with real PostgreSQL, browser subscriptions registered over the
 * WebSocket protocol, and a local push service ({@link PushServiceStub}) that decrypts nothing itself: the test
 * decrypts each message with the subscription's private key, checks VAPID, and scripts 429, 500 and 410 answers.
 */
class WebPushTest {
  static final String SUBJECT = "mailto:push-test@example.com";
  static PushServiceStub push;
  static TestServer server;
  static Vertx vertx;
  static String vapidKey;

  @BeforeAll
  static void start() throws Exception {
    push = PushServiceStub.start();
    server = TestServer.start("""
        push:
          vapid_subject: "%s"
          allow_insecure_localhost: true
          allowed_endpoints: ["%s"]
          retry_base: 300ms
          max_attempts: 3
          lease: 10s
        """.formatted(SUBJECT, push.origin()));
    vertx = Vertx.vertx();
    vapidKey = server.node.config().push().vapidPublicKey();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (push != null) {
      push.close();
    }
    if (vertx != null) {
      vertx.close();
    }
  }

  private WsClient connect(String user) throws Exception {
    WsClient c = WsClient.open(vertx, server.wsUrl());
    c.connect(server.token(user));
    return c;
  }

  private static JsonObject rpc(WsClient c, String method, JsonObject data) throws InterruptedException {
    return c.call("rpc", new JsonObject().put("method", method).put("data", data));
  }

  private static void subscribe(WsClient c, BrowserSubscription s) throws InterruptedException {
    JsonObject r = rpc(c, "push.subscribe", s.toJson());
    assertThat(r.containsKey("error")).as("push.subscribe %s", r).isFalse();
  }

  private static void enqueue(String user, long offset, JsonObject push) throws Exception {
    server.node.parts().pushQueue().enqueue(List.of(new PushJob(user, "notify:#" + user, offset, push)))
        .await(10, TimeUnit.SECONDS);
  }

  private long count(String sql) throws Exception {
    var db = server.db;
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
         ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String name(BrowserSubscription s) {
    return s.endpoint.substring(s.endpoint.lastIndexOf('/') + 1);
  }

  @Test
  void deliversEncryptedSignedPushesRetriesAndDeletesGoneSubscriptions() throws Exception {
    BrowserSubscription phone = new BrowserSubscription(push.endpoint("alice-phone"));
    BrowserSubscription laptop = new BrowserSubscription(push.endpoint("alice-laptop"));
    BrowserSubscription old = new BrowserSubscription(push.endpoint("bob-old"));
    BrowserSubscription flaky = new BrowserSubscription(push.endpoint("carol-down"));
    push.script(name(laptop), new Answer(429, "1"), new Answer(500, null));
    push.script(name(old), new Answer(410, null));
    push.script(name(flaky), new Answer(503, null), new Answer(500, null), new Answer(502, null));
    try (WsClient alice = connect("alice"); WsClient bob = connect("bob"); WsClient carol = connect("carol")) {
      subscribe(alice, phone);
      subscribe(alice, laptop);
      subscribe(bob, old);
      subscribe(carol, flaky);
    }
    PushMetrics metrics = metrics();
    double sent0 = metrics.sentCount();
    double retried0 = metrics.retriedCount();
    double removed0 = metrics.removedCount();
    double givenUp0 = metrics.failedCount("given_up");

    JsonObject note = new JsonObject().put("title", "Dentist").put("body", "Tomorrow 9:00, bring the form")
        .put("url", "/notifications/42").put("ttl", 3600).put("urgency", "high");
    enqueue("alice", 42, note);
    enqueue("bob", 7, new JsonObject().put("title", "hi").put("body", "b"));
    enqueue("carol", 3, new JsonObject().put("title", "x").put("body", "y"));

    PushServiceStub.await(20_000, "alice's two devices", () -> push.acceptedAt("alice-laptop").size() == 1
        && push.acceptedAt("alice-phone").size() == 1);
    PushServiceStub.await(20_000, "carol's job given up", () -> {
      try {
        return count("SELECT count(*) FROM push_jobs") == 0;
      } catch (Exception e) {
        return false;
      }
    });

    JsonObject expected = new JsonObject().put("title", "Dentist").put("body", "Tomorrow 9:00, bring the form")
        .put("url", "/notifications/42").put("channel", "notify:#alice").put("offset", 42)
        .put("tag", "notify:#alice:42").put("badge", 0); // unread count: no notification 42 is stored here
    // Every message to alice's devices: decrypted with that device's private key, it is what was sent.
    for (BrowserSubscription s : List.of(phone, laptop)) {
      for (Received r : push.receivedAt(name(s))) {
        assertThat(new JsonObject(s.decrypt(r.body()))).isEqualTo(expected);
        assertThat(push.vapidProblem(r, vapidKey, SUBJECT)).isNull();
        assertThat(r.header("Content-Encoding")).isEqualTo("aes128gcm");
        assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(Long.parseLong(r.header("TTL"))).isBetween(3500L, 3600L);
        assertThat(r.header("Urgency")).isEqualTo("high");
        assertThat(r.header("Topic")).isEqualTo(PushMessage.topic("notify:#alice:42"));
      }
    }
    // The phone answered 201 at once and was not posted again while the laptop's job was retried.
    assertThat(push.receivedAt("alice-phone")).hasSize(1);
    // The laptop: 429 with Retry-After: 1 (honoured: later than the 300 ms backoff), 500, then 201.
    List<Received> laptopTries = push.receivedAt("alice-laptop");
    assertThat(laptopTries).hasSize(3);
    assertThat(laptopTries.get(1).atMillis() - laptopTries.get(0).atMillis()).as("Retry-After: 1").isGreaterThanOrEqualTo(950);
    assertThat(laptopTries.get(2).atMillis() - laptopTries.get(1).atMillis()).as("backoff 300ms * 2")
        .isGreaterThanOrEqualTo(550);
    // 410: one request, the subscription is deleted, nothing retried.
    assertThat(push.receivedAt("bob-old")).hasSize(1);
    assertThat(count("SELECT count(*) FROM push_devices WHERE platform = 'webpush' AND token = '" + old.endpoint + "'")).isZero();
    assertThat(new JsonObject(old.decrypt(push.receivedAt("bob-old").get(0).body())).getString("title")).isEqualTo("hi");
    // Always 5xx: max_attempts (3) tries with growing pauses, then given up; the subscription stays.
    List<Received> carolTries = push.receivedAt("carol-down");
    assertThat(carolTries).hasSize(3);
    assertThat(carolTries.get(1).atMillis() - carolTries.get(0).atMillis()).isGreaterThanOrEqualTo(250);
    assertThat(carolTries.get(2).atMillis() - carolTries.get(1).atMillis()).isGreaterThanOrEqualTo(550);
    assertThat(count("SELECT count(*) FROM push_devices WHERE user_id = 'carol'")).isEqualTo(1);

    assertThat(metrics.sentCount() - sent0).isEqualTo(2); // phone and laptop (bob's 410 is not a send)
    assertThat(metrics.retriedCount() - retried0).isEqualTo(4); // laptop twice, carol twice
    assertThat(metrics.removedCount() - removed0).isEqualTo(1);
    assertThat(metrics.failedCount("given_up") - givenUp0).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM push_job_devices")).isZero();

    // No event-loop thread ever ran the sender.
    assertThat(server.node.pushSender().threadsSeen()).isNotEmpty()
        .allMatch(t -> t.startsWith(PushSender.POOL_NAME), "runs on " + PushSender.POOL_NAME);
    String scrape = get("/metrics").body();
    assertThat(scrape).contains("switchboard_push_sent_total").contains("switchboard_push_retried_total")
        .contains("switchboard_push_failed_total{platform=\"webpush\",reason=\"given_up\"}").contains("switchboard_push_queue_age_seconds")
        .contains("switchboard_push_queue_oldest_seconds");
  }

  @Test
  void subscribeChecksTheAllowlistAndKeysAndUnsubscribeRemoves() throws Exception {
    BrowserSubscription good = new BrowserSubscription(push.endpoint("dave-1"));
    try (WsClient dave = connect("dave")) {
      for (String endpoint : List.of("https://evil.example/push/1", "http://127.0.0.1:1/push/x",
          "https://169.254.169.254/latest/meta-data", push.origin().replace("http:", "https:") + "/x")) {
        JsonObject r = rpc(dave, "push.subscribe", good.toJson().put("endpoint", endpoint));
        assertThat(r.getJsonObject("error").getInteger("code")).as(endpoint).isEqualTo(103);
      }
      for (JsonObject bad : List.of(good.toJson().put("endpoint", "not a url"),
          good.toJson().put("endpoint", push.origin() + "/x#frag"),
          good.toJson().put("keys", new JsonObject().put("p256dh", good.p256dh())),
          good.toJson().put("keys", new JsonObject().put("p256dh", "AAAA").put("auth", good.authB64())),
          good.toJson().put("keys", new JsonObject().put("p256dh", good.p256dh()).put("auth", "AAAA")),
          new JsonObject())) {
        JsonObject r = rpc(dave, "push.subscribe", bad);
        assertThat(r.getJsonObject("error").getInteger("code")).as(bad.encode()).isEqualTo(107);
      }
      assertThat(count("SELECT count(*) FROM push_devices WHERE user_id = 'dave'")).isZero();

      subscribe(dave, good);
      subscribe(dave, good); // again: still one
      assertThat(count("SELECT count(*) FROM push_devices WHERE user_id = 'dave'")).isEqualTo(1);
      JsonObject r = rpc(dave, "push.unsubscribe", new JsonObject().put("endpoint", good.endpoint));
      assertThat(r.getJsonObject("rpc").getJsonObject("data").getBoolean("removed")).isTrue();
      r = rpc(dave, "push.unsubscribe", new JsonObject().put("endpoint", good.endpoint));
      assertThat(r.getJsonObject("rpc").getJsonObject("data").getBoolean("removed")).isFalse();
      assertThat(count("SELECT count(*) FROM push_devices WHERE user_id = 'dave'")).isZero();
    }
    // Another user cannot remove someone else's subscription.
    try (WsClient erin = connect("erin"); WsClient frank = connect("frank")) {
      subscribe(erin, good);
      JsonObject r = rpc(frank, "push.unsubscribe", new JsonObject().put("endpoint", good.endpoint));
      assertThat(r.getJsonObject("rpc").getJsonObject("data").getBoolean("removed")).isFalse();
      assertThat(count("SELECT count(*) FROM push_devices WHERE user_id = 'erin'")).isEqualTo(1);
    }
  }

  @Test
  void theNotifyApiPushesToAUserWhoIsOfflineButNotToOneWhoIsConnected() throws Exception {
    BrowserSubscription gina = new BrowserSubscription(push.endpoint("gina-1"));
    BrowserSubscription hank = new BrowserSubscription(push.endpoint("hank-1"));
    try (WsClient g = connect("gina")) {
      subscribe(g, gina);
    } // gina is now offline
    WsClient h = connect("hank");
    try {
      subscribe(h, hank);
      JsonObject pushSpec = new JsonObject().put("title", "Order shipped").put("body", "Order 42 is on its way")
          .put("url", "/orders/42");
      JsonObject r = io.switchboard.testsupport.Http.postApi("http://127.0.0.1:" + server.port() + "/api/notify",
          TestServer.API_KEY, new JsonObject().put("users", new io.vertx.core.json.JsonArray().add("gina").add("hank"))
              .put("data", new JsonObject().put("text", "shipped")).put("push", pushSpec));
      long offset = r.getJsonObject("result").getJsonObject("results").getJsonObject("gina").getLong("offset");
      PushServiceStub.await(20_000, "gina's push", () -> push.acceptedAt("gina-1").size() == 1);
      JsonObject m = new JsonObject(gina.decrypt(push.acceptedAt("gina-1").get(0).body()));
      assertThat(m).isEqualTo(pushSpec.copy().put("channel", "notify:#gina").put("offset", offset)
          .put("tag", "notify:#gina:" + offset).put("badge", 1)); // gina's unread count
      Thread.sleep(1500);
      assertThat(push.receivedAt("hank-1")).as("hank is connected: no push").isEmpty();
    } finally {
      h.close();
    }
  }

  @Test
  void vapidPublicKeyIsServedWithoutAnApiKey() throws Exception {
    HttpResponse<String> r = get("/api/push/vapid-public-key");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    String key = new JsonObject(r.body()).getString("key");
    assertThat(key).isEqualTo(vapidKey);
    assertThat(P256.b64(key)).hasSize(65).startsWith((byte) 4);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static PushMetrics metrics() {
    return server.node.pushSender().metrics();
  }
}
