package io.switchboard.notify.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testsupport.ApnsStandIn;
import io.switchboard.testsupport.BrowserSubscription;
import io.switchboard.testsupport.FcmStandIn;
import io.switchboard.testsupport.Http;
import io.switchboard.testsupport.PushServiceStub;
import io.switchboard.testsupport.TestServer;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mobile push end to end: a real node and PostgreSQL, devices registered by clients over the WebSocket protocol,
 * and local stand-ins that speak FCM's HTTP v1 API (with its OAuth2 token server) and APNs' HTTP/2 API over TLS,
 * beside a Web Push service. A user with an Android phone, an iPhone and a browser gets inbox notifications live
 * while connected and as exactly one push per device while offline, with the unread count as badge.
 */
class MobilePushTest {
  static FcmStandIn fcm;
  static ApnsStandIn apns;
  static PushServiceStub web;
  static TestServer server;
  static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    fcm = FcmStandIn.start();
    apns = ApnsStandIn.start();
    web = PushServiceStub.start();
    Map<String, String> env = new HashMap<>(fcm.env());
    env.putAll(apns.env());
    server = TestServer.startWithEnv("""
        push:
          allow_insecure_localhost: true
          allowed_endpoints: ["%s"]
          retry_base: 300ms
          lease: 10s
        """.formatted(web.origin()), env);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {server, fcm, apns, web}) {
      if (c != null) {
        c.close();
      }
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

  private static String register(WsClient c, JsonObject device) throws InterruptedException {
    JsonObject r = c.call("rpc", new JsonObject().put("method", "push.register").put("data", device));
    assertThat(r.getJsonObject("error")).as(r.encode()).isNull();
    return r.getJsonObject("rpc").getJsonObject("data").getString("id");
  }

  private static JsonObject notify(String user, String title) throws Exception {
    return Http.postApi("http://127.0.0.1:" + server.port() + "/api/notify", TestServer.API_KEY, new JsonObject()
        .put("users", new JsonArray().add(user)).put("data", new JsonObject().put("text", title))
        .put("push", new JsonObject().put("title", title).put("body", "for " + user).put("url", "/n")));
  }

  private static long count(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(server.db.jdbcUrl(), server.db.user(), server.db.password());
         ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void liveWhileOnlineAndOncePerDeviceWhileOfflineWithTheUnreadCountAsBadge() throws Exception {
    String android = "fcm-alice-pixel";
    String iphone = ApnsStandIn.deviceToken();
    BrowserSubscription browser = new BrowserSubscription(web.endpoint("alice-laptop"));
    try (WsClient alice = connect("alice")) {
      register(alice, new JsonObject().put("platform", "fcm").put("token", android));
      register(alice, new JsonObject().put("platform", "apns").put("token", iphone));
      register(alice, browser.toJson().put("platform", "webpush"));
      notify("alice", "first");
      assertThat(alice.nextPub("notify:#alice").getJsonObject("data").getString("text")).isEqualTo("first");
      Thread.sleep(1000);
      assertThat(fcm.messagesFor(android).size() + apns.messagesFor(iphone).size() + web.receivedAt("alice-laptop").size())
          .as("online: nothing pushed").isZero();
    }
    Thread.sleep(300); // the disconnect's presence removal
    notify("alice", "second");
    PushServiceStub.await(20_000, "a push on each device", () -> fcm.messagesFor(android).size() == 1
        && apns.messagesFor(iphone).size() == 1 && web.acceptedAt("alice-laptop").size() == 1);
    FcmStandIn.Received toAndroid = fcm.messagesFor(android).get(0);
    ApnsStandIn.Message toIphone = apns.messagesFor(iphone).get(0);

    assertThat(toAndroid.token()).isEqualTo(android);
    assertThat(toAndroid.message().getJsonObject("notification").getString("title")).isEqualTo("second");
    assertThat(toAndroid.message().getJsonObject("data").getString("url")).isEqualTo("/n");
    assertThat(toAndroid.message().getJsonObject("android").getJsonObject("notification")
        .getInteger("notification_count")).as("two unread").isEqualTo(2);
    assertThat(toIphone.token()).isEqualTo(iphone);
    assertThat(toIphone.aps().getInteger("badge")).as("the iOS badge is the unread count").isEqualTo(2);
    assertThat(toIphone.aps().getJsonObject("alert").getString("title")).isEqualTo("second");
    assertThat(toIphone.header("apns-topic")).isEqualTo(apns.topic());
    JsonObject inBrowser = new JsonObject(browser.decrypt(web.acceptedAt("alice-laptop").get(0).body()));
    assertThat(inBrowser.getString("title")).isEqualTo("second");
    assertThat(inBrowser.getInteger("badge")).isEqualTo(2);

    Thread.sleep(1500); // a duplicate would show up now
    assertThat(fcm.messagesFor(android)).hasSize(1);
    assertThat(apns.messagesFor(iphone)).hasSize(1);
    assertThat(web.receivedAt("alice-laptop")).hasSize(1);
  }

  @Test
  void deadTokensAreDeletedThrottlingIsRetriedAndAnExpiredOAuthTokenIsRefreshed() throws Exception {
    String deadAndroid = "fcm-bob-uninstalled";
    String iphone = ApnsStandIn.deviceToken();
    String goneIphone = ApnsStandIn.deviceToken();
    try (WsClient bob = connect("bob")) {
      register(bob, new JsonObject().put("platform", "fcm").put("token", deadAndroid));
      register(bob, new JsonObject().put("platform", "apns").put("token", iphone));
      register(bob, new JsonObject().put("platform", "apns").put("token", goneIphone));
    }
    fcm.unregister(deadAndroid);
    apns.unregister(goneIphone);
    Thread.sleep(300);
    notify("bob", "hello");
    PushServiceStub.await(30_000, "bob's iPhone", () -> apns.messagesFor(iphone).size() == 1);
    PushServiceStub.await(20_000, "the dead tokens deleted", () -> {
      try {
        return count("SELECT count(*) FROM push_devices WHERE user_id = 'bob'") == 1;
      } catch (Exception e) {
        return false;
      }
    });
    assertThat(count("SELECT count(*) FROM push_devices WHERE user_id = 'bob' AND token = '" + iphone + "'"))
        .isEqualTo(1);

    // ivy's only phone answers 429 with Retry-After: 1 first: the job waits that long, then it goes out
    String ivysPhone = ApnsStandIn.deviceToken();
    try (WsClient ivy = connect("ivy")) {
      register(ivy, new JsonObject().put("platform", "apns").put("token", ivysPhone));
    }
    Thread.sleep(300);
    apns.failNext(1, 429, 1);
    long t0 = System.currentTimeMillis();
    notify("ivy", "later");
    PushServiceStub.await(30_000, "ivy's iPhone, after a 429", () -> apns.messagesFor(ivysPhone).size() == 1);
    assertThat(apns.messagesFor(ivysPhone).get(0).atMillis() - t0).as("Retry-After: 1 honoured")
        .isGreaterThanOrEqualTo(1000);

    // carol's phone after the OAuth token expired: the sender refreshes it and the push goes out
    try (WsClient carol = connect("carol")) {
      register(carol, new JsonObject().put("platform", "fcm").put("token", "fcm-carol"));
    }
    int tokensBefore = fcm.tokenRequests();
    fcm.expireTokens();
    Thread.sleep(300);
    notify("carol", "refreshed");
    PushServiceStub.await(20_000, "carol's push", () -> fcm.messagesFor("fcm-carol").size() == 1);
    assertThat(fcm.tokenRequests()).as("a new access token was fetched").isGreaterThan(tokensBefore);
    String scrape = Http.get("http://127.0.0.1:" + server.port() + "/metrics");
    assertThat(scrape).contains("switchboard_push_devices_removed_total{platform=\"fcm\"}")
        .contains("switchboard_push_devices_removed_total{platform=\"apns\"}")
        .contains("switchboard_push_sent_total{platform=\"apns\"}")
        .contains("switchboard_push_retried_total{platform=\"apns\"}");
  }

  @Test
  void aSharedPhoneStopsGettingThePreviousUsersNotifications() throws Exception {
    String phone = ApnsStandIn.deviceToken();
    try (WsClient dan = connect("dan")) {
      register(dan, new JsonObject().put("platform", "apns").put("token", phone));
    }
    try (WsClient eve = connect("eve")) {
      register(eve, new JsonObject().put("platform", "apns").put("token", phone.toUpperCase()));
    }
    Thread.sleep(300);
    notify("dan", "for dan");
    notify("eve", "for eve");
    PushServiceStub.await(20_000, "eve's push", () -> apns.messagesFor(phone).size() >= 1);
    Thread.sleep(1500);
    assertThat(apns.messagesFor(phone)).hasSize(1);
    assertThat(apns.messagesFor(phone).get(0).aps().getJsonObject("alert").getString("title")).isEqualTo("for eve");
  }

  @Test
  void aSendToATopicPassesThePlatformObjectsThrough() throws Exception {
    String android = "fcm-topic-1";
    String iphone = ApnsStandIn.deviceToken();
    for (JsonObject d : new JsonObject[] {
        new JsonObject().put("user", "fred").put("provider", "fcm").put("token", android),
        new JsonObject().put("user", "gail").put("provider", "apns").put("token", iphone)}) {
      Http.postApi("http://127.0.0.1:" + server.port() + "/api/device_register", TestServer.API_KEY,
          d.put("topics", new JsonArray().add("releases")));
    }
    JsonObject r = Http.postApi("http://127.0.0.1:" + server.port() + "/api/send_push_notification",
        TestServer.API_KEY, new JsonObject()
            .put("recipient", new JsonObject().put("filter", new JsonObject().put("topics",
                new JsonArray().add("releases"))))
            .put("notification", new JsonObject().put("title", "1.0").put("body", "is out").put("badge", 7)
                .put("data", new JsonObject().put("release", 1))
                .put("fcm", new JsonObject().put("message", new JsonObject().put("android", new JsonObject()
                    .put("notification", new JsonObject().put("channel_id", "releases")))))
                .put("apns", new JsonObject().put("payload", new JsonObject().put("aps",
                    new JsonObject().put("sound", "chime.caf"))))));
    assertThat(r.getJsonObject("result").getLong("devices")).isEqualTo(2);
    PushServiceStub.await(20_000, "both pushes", () -> fcm.messagesFor(android).size() == 1
        && apns.messagesFor(iphone).size() == 1);
    JsonObject m = fcm.messagesFor(android).get(0).message();
    assertThat(m.getJsonObject("data").getString("release")).isEqualTo("1");
    assertThat(m.getJsonObject("android").getJsonObject("notification").getString("channel_id")).isEqualTo("releases");
    ApnsStandIn.Message i = apns.messagesFor(iphone).get(0);
    assertThat(i.aps().getString("sound")).isEqualTo("chime.caf");
    assertThat(i.aps().getInteger("badge")).isEqualTo(7);
    assertThat(i.aps().getJsonObject("alert").getString("body")).isEqualTo("is out");
  }

  @Test
  void aScheduledSendToADeviceIdGoesOutWhenDueNotBefore() throws Exception {
    String android = "fcm-hugo-tablet";
    String id = Http.postApi("http://127.0.0.1:" + server.port() + "/api/device_register", TestServer.API_KEY,
        new JsonObject().put("user", "hugo").put("provider", "fcm").put("token", android))
        .getJsonObject("result").getString("id");
    long sendAt = System.currentTimeMillis() / 1000 + 3;
    JsonObject r = Http.postApi("http://127.0.0.1:" + server.port() + "/api/send_push_notification",
        TestServer.API_KEY, new JsonObject()
            .put("recipient", new JsonObject().put("filter", new JsonObject().put("devices", new JsonArray().add(id))))
            .put("notification", new JsonObject().put("title", "at " + sendAt)).put("send_at", sendAt));
    assertThat(r.getJsonObject("result").getLong("devices")).isEqualTo(1);
    PushServiceStub.await(20_000, "the scheduled push", () -> fcm.messagesFor(android).size() == 1);
    assertThat(fcm.messagesFor(android).get(0).atMillis()).as("not before send_at")
        .isGreaterThanOrEqualTo(sendAt * 1000);
    assertThat(fcm.messagesFor(android).get(0).message().getJsonObject("notification").getString("title"))
        .isEqualTo("at " + sendAt);
  }
}
