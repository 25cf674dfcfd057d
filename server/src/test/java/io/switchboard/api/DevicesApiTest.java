package io.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testsupport.BrowserSubscription;
import io.switchboard.testsupport.Http;
import io.switchboard.testsupport.TestServer;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The device registry through the server API (Centrifugo PRO's method names) and the client RPCs, on a real node
 * and PostgreSQL. Web Push devices stand in for every platform here (FCM and APNs are not configured on this
 * node, which is itself checked: registering one is error 108); PushEndToEndTest sends to all three.
 */
class DevicesApiTest {
  static final String ORIGIN = "http://127.0.0.1:9";
  static TestServer server;
  static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start("""
        push:
          allow_insecure_localhost: true
          allowed_endpoints: ["%s"]
        """.formatted(ORIGIN));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (vertx != null) {
      vertx.close();
    }
  }

  static JsonObject api(String method, JsonObject params) throws Exception {
    return Http.postApi("http://127.0.0.1:" + server.port() + "/api/" + method, TestServer.API_KEY, params);
  }

  static JsonObject webDevice(String user, BrowserSubscription s) {
    return new JsonObject().put("user", user).put("provider", "webpush").put("platform", "web").put("token", s.endpoint)
        .put("keys", new JsonObject().put("p256dh", s.p256dh()).put("auth", s.authB64()));
  }

  static int errorCode(JsonObject r) {
    return r.getJsonObject("error") == null ? 0 : r.getJsonObject("error").getInteger("code");
  }

  static long count(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(server.db.jdbcUrl(), server.db.user(), server.db.password());
         ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aTokenRegisteredByAnotherUserMovesToThemUnderANewId() throws Exception {
    BrowserSubscription shared = new BrowserSubscription(ORIGIN + "/push/shared-tablet");
    String first = api("device_register", webDevice("ann", shared).put("topics", new JsonArray().add("news")))
        .getJsonObject("result").getString("id");
    assertThat(api("device_register", webDevice("ann", shared)).getJsonObject("result").getString("id"))
        .as("the same user again: the same device").isEqualTo(first);
    String second = api("device_register", webDevice("ben", shared)).getJsonObject("result").getString("id");
    assertThat(second).isNotEqualTo(first);
    JsonObject anns = api("device_list", new JsonObject().put("filter", new JsonObject().put("users",
        new JsonArray().add("ann")))).getJsonObject("result");
    assertThat(anns.getJsonArray("items")).isEmpty();
    JsonObject bens = api("device_list", new JsonObject().put("filter", new JsonObject().put("users",
        new JsonArray().add("ben"))).put("include_topics", true)).getJsonObject("result");
    assertThat(bens.getJsonArray("items")).hasSize(1);
    JsonObject d = bens.getJsonArray("items").getJsonObject(0);
    assertThat(d.getString("id")).isEqualTo(second);
    assertThat(d.getString("provider")).isEqualTo("webpush");
    assertThat(d.getJsonArray("topics")).isEmpty(); // a new registration: ann's topics did not move with it
  }

  @Test
  void topicsUpdateListAndRemove() throws Exception {
    String[] ids = new String[5];
    for (int i = 0; i < ids.length; i++) {
      BrowserSubscription s = new BrowserSubscription(ORIGIN + "/push/cal-" + i);
      ids[i] = api("device_register", webDevice(i < 3 ? "cal" : "dee", s)).getJsonObject("result").getString("id");
    }
    assertThat(errorCode(api("device_update", new JsonObject().put("users", new JsonArray().add("cal"))
        .put("topics_update", new JsonObject().put("op", "add").put("topics", new JsonArray().add("sports")
            .add("news")))))).isZero();
    assertThat(errorCode(api("device_topic_update", new JsonObject().put("device_id", ids[0]).put("op", "remove")
        .put("topics", new JsonArray().add("news"))))).isZero();
    // an ownership guard that does not match refuses
    assertThat(errorCode(api("device_topic_update", new JsonObject().put("device_id", ids[1]).put("op", "set")
        .put("topics", new JsonArray().add("x")).put("user", "dee")))).isEqualTo(107);
    JsonObject news = api("device_list", new JsonObject().put("filter", new JsonObject().put("topics",
        new JsonArray().add("news"))).put("include_total_count", true)).getJsonObject("result");
    assertThat(news.getLong("total_count")).isEqualTo(2);
    assertThat(news.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("id")))
        .containsExactlyInAnyOrder(ids[1], ids[2]);
    // pages by cursor: two of the five, then the rest, then nothing more
    JsonObject filter = new JsonObject().put("users", new JsonArray().add("cal").add("dee"));
    JsonObject p1 = api("device_list", new JsonObject().put("filter", filter).put("limit", 2)).getJsonObject("result");
    JsonObject p2 = api("device_list", new JsonObject().put("filter", filter).put("limit", 10)
        .put("cursor", p1.getString("next_cursor"))).getJsonObject("result");
    assertThat(p1.getJsonArray("items")).hasSize(2);
    assertThat(p2.getJsonArray("items")).hasSize(3);
    assertThat(p2.getString("next_cursor")).isEmpty();
    assertThat(api("device_remove", new JsonObject().put("users", new JsonArray().add("dee")))
        .getJsonObject("result").getInteger("removed")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM push_devices WHERE user_id = 'dee'")).isZero();
  }

  @Test
  void badInputIsAClearErrorAndUnconfiguredPlatformsAre108() throws Exception {
    BrowserSubscription s = new BrowserSubscription(ORIGIN + "/push/x");
    assertThat(errorCode(api("device_register", new JsonObject().put("user", "eve").put("provider", "fcm")
        .put("token", "abc")))).isEqualTo(108);
    assertThat(errorCode(api("device_register", new JsonObject().put("user", "eve").put("provider", "apns")
        .put("token", "00ff")))).isEqualTo(108);
    assertThat(errorCode(api("device_register", new JsonObject().put("user", "eve").put("provider", "hms")
        .put("token", "abc")))).isEqualTo(107);
    assertThat(errorCode(api("device_register", webDevice("eve", s).put("token", "https://evil.example/p"))))
        .isEqualTo(103);
    assertThat(errorCode(api("device_register", webDevice("", s)))).isEqualTo(107);
    assertThat(errorCode(api("device_register", webDevice("eve", s).put("meta", "x")))).isEqualTo(107);
    assertThat(errorCode(api("send_push_notification", new JsonObject().put("notification",
        new JsonObject().put("title", "t"))))).isEqualTo(107);
    assertThat(errorCode(api("send_push_notification", new JsonObject().put("recipient", new JsonObject()
        .put("filter", new JsonObject().put("users", new JsonArray().add("eve"))))
        .put("notification", new JsonObject().put("title", "t").put("colour", "red"))))).isEqualTo(107);
    assertThat(errorCode(api("send_push_notification", new JsonObject().put("recipient", new JsonObject()
        .put("filter", new JsonObject().put("users", new JsonArray().add("eve")).put("providers",
            new JsonArray().add("apns")))).put("notification", new JsonObject().put("title", "t")))))
        .isEqualTo(108);
  }

  @Test
  void aScheduledSendIsQueuedForItsDevicesAndWaits() throws Exception {
    for (int i = 0; i < 3; i++) {
      api("device_register", webDevice("fay", new BrowserSubscription(ORIGIN + "/push/fay-" + i)));
    }
    long at = Instant.now().plusSeconds(3600).getEpochSecond();
    JsonObject r = api("send_push_notification", new JsonObject()
        .put("recipient", new JsonObject().put("filter", new JsonObject().put("users", new JsonArray().add("fay"))))
        .put("notification", new JsonObject().put("title", "Later").put("badge", 3))
        .put("send_at", at).put("uid", "fay-later")).getJsonObject("result");
    assertThat(r.getString("uid")).isEqualTo("fay-later");
    assertThat(r.getLong("devices")).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM push_jobs WHERE tag = 'send:fay-later' AND cardinality(device_ids) = 3 "
        + "AND next_attempt_at = to_timestamp(" + at + ") AND expire_at = to_timestamp(" + (at + 86400) + ")"))
        .isEqualTo(1);
  }

  @Test
  void clientsRegisterAndUnregisterTheirOwnDevicesOverRpc() throws Exception {
    BrowserSubscription s = new BrowserSubscription(ORIGIN + "/push/gus-1");
    try (WsClient gus = WsClient.open(vertx, server.wsUrl()); WsClient hal = WsClient.open(vertx, server.wsUrl())) {
      gus.connect(server.token("gus"));
      hal.connect(server.token("hal"));
      JsonObject reg = gus.call("rpc", new JsonObject().put("method", "push.register").put("data",
          new JsonObject().put("platform", "webpush").put("endpoint", s.endpoint).put("keys",
              new JsonObject().put("p256dh", s.p256dh()).put("auth", s.authB64()))));
      String id = reg.getJsonObject("rpc").getJsonObject("data").getString("id");
      assertThat(id).isNotBlank();
      JsonObject fcm = gus.call("rpc", new JsonObject().put("method", "push.register").put("data",
          new JsonObject().put("platform", "fcm").put("token", "t")));
      assertThat(fcm.getJsonObject("error").getInteger("code")).isEqualTo(108);
      JsonObject other = hal.call("rpc", new JsonObject().put("method", "push.unregister").put("data",
          new JsonObject().put("id", id)));
      assertThat(other.getJsonObject("rpc").getJsonObject("data").getBoolean("removed")).isFalse();
      JsonObject own = gus.call("rpc", new JsonObject().put("method", "push.unregister").put("data",
          new JsonObject().put("id", id)));
      assertThat(own.getJsonObject("rpc").getJsonObject("data").getBoolean("removed")).isTrue();
    }
  }
}
