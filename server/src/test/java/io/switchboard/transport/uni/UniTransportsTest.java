package io.switchboard.transport.uni;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import io.switchboard.testsupport.Http;
import io.switchboard.testsupport.NodeTestBase;
import io.switchboard.testsupport.TestServer;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The unidirectional transports against a real node, each the way its clients use it: the connect push, a
 * notification live, and what was missed while away recovered through the connect request's {@code subs}.
 */
class UniTransportsTest extends NodeTestBase {

  @BeforeAll
  static void start() throws Exception {
    boot("""
        client:
          ping_interval: 2s
          pong_timeout: 1s
        """);
  }

  /** One uni client, whatever carries it. */
  interface Uni extends AutoCloseable {
    JsonObject next(Predicate<JsonObject> p) throws InterruptedException;

    default JsonObject connect() throws InterruptedException {
      return next(o -> o.containsKey("connect")).getJsonObject("connect");
    }

    default JsonObject nextPub(String channel) throws InterruptedException {
      return next(o -> channel.equals(o.getString("channel")) && o.containsKey("pub")).getJsonObject("pub");
    }
  }

  static String base() {
    return "http://127.0.0.1:" + server.port();
  }

  static String cfConnect(JsonObject connect) {
    return "cf_connect=" + URLEncoder.encode(connect.encode(), StandardCharsets.UTF_8);
  }

  /** Opens a uni connection of {@code mode} with the connect request {@code connect}. */
  static Uni open(String mode, JsonObject connect) throws Exception {
    return switch (mode) {
      case "http_stream" -> stream(UniStream.post(base() + "/connection/uni_http_stream", connect.encode(), false));
      case "sse_get" -> stream(UniStream.get(base() + "/connection/uni_sse?" + cfConnect(connect)));
      case "sse_post" -> stream(UniStream.post(base() + "/connection/uni_sse", connect.encode(), true));
      case "websocket" -> {
        WsClient ws = WsClient.open(vertx, "ws://127.0.0.1:" + server.port() + "/connection/uni_websocket");
        ws.sendRaw(connect.encode());
        yield websocket(ws);
      }
      case "websocket_url" -> websocket(WsClient.open(vertx,
          "ws://127.0.0.1:" + server.port() + "/connection/uni_websocket?" + cfConnect(connect)));
      default -> throw new IllegalArgumentException(mode);
    };
  }

  private static Uni stream(UniStream s) {
    assertThat(s.status).isEqualTo(200);
    return new Uni() {
      @Override
      public JsonObject next(Predicate<JsonObject> p) throws InterruptedException {
        return s.next(p);
      }

      @Override
      public void close() throws Exception {
        s.close();
      }
    };
  }

  private static Uni websocket(WsClient ws) {
    return new Uni() {
      @Override
      public JsonObject next(Predicate<JsonObject> p) throws InterruptedException {
        return ws.next(p);
      }

      @Override
      public void close() {
        ws.close();
      }
    };
  }

  static JsonObject publish(String channel, JsonObject data) throws Exception {
    return Http.postApi(base() + "/api/publish", TestServer.API_KEY,
        new JsonObject().put("channel", channel).put("data", data)).getJsonObject("result");
  }

  static JsonObject notify(String user, JsonObject data) throws Exception {
    JsonObject r = Http.postApi(base() + "/api/notify", TestServer.API_KEY,
        new JsonObject().put("users", new JsonArray().add(user)).put("data", data)).getJsonObject("result");
    return r.getJsonObject("results").getJsonObject(user);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http_stream", "sse_get", "sse_post", "websocket", "websocket_url"})
  void connectPushNotificationLiveAndRecoveryAfterAReconnect(String mode) throws Exception {
    String user = "uni-" + mode;
    String inbox = "notify:#" + user;
    JsonObject position;
    try (Uni c = open(mode, new JsonObject().put("token", server.token(user)))) {
      JsonObject connect = c.connect();
      assertThat(connect.getString("client")).isNotEmpty();
      assertThat(connect.getInteger("ping")).isEqualTo(2);
      assertThat(connect.containsKey("pong")).as("a uni client never pongs").isFalse();
      JsonObject sub = connect.getJsonObject("subs").getJsonObject(inbox);
      assertThat(sub.getBoolean("recoverable")).isTrue();
      assertThat(sub.getString("epoch")).isNotEmpty();

      JsonObject first = notify(user, new JsonObject().put("text", "one"));
      JsonObject pub = c.nextPub(inbox);
      assertThat(pub.getJsonObject("data").getString("text")).isEqualTo("one");
      assertThat(pub.getLong("offset")).isEqualTo(first.getLong("offset"));
      position = new JsonObject().put("offset", pub.getLong("offset")).put("epoch", sub.getString("epoch"));
    }

    // Away: two notifications (the API's publish and notify alike) it has not seen.
    publish(inbox, new JsonObject().put("text", "two"));
    JsonObject third = notify(user, new JsonObject().put("text", "three"));

    JsonObject recover = new JsonObject().put("token", server.token(user)).put("subs",
        new JsonObject().put(inbox, position.copy().put("recover", true)));
    try (Uni c = open(mode, recover)) {
      JsonObject sub = c.connect().getJsonObject("subs").getJsonObject(inbox);
      assertThat(sub.getBoolean("recovered")).as("recovered %s", sub).isTrue();
      List<String> texts = sub.getJsonArray("publications").stream()
          .map(p -> ((JsonObject) p).getJsonObject("data").getString("text")).toList();
      assertThat(texts).containsExactly("two", "three");
      assertThat(sub.getJsonArray("publications").getJsonObject(1).getLong("offset"))
          .isEqualTo(third.getLong("offset"));
      // and it is live again
      notify(user, new JsonObject().put("text", "four"));
      assertThat(c.nextPub(inbox).getJsonObject("data").getString("text")).isEqualTo("four");
    }
  }

  /** A connection token with a {@code channels} claim (server-side subscriptions besides the personal one). */
  static String tokenWithChannels(String user, String... channels) throws Exception {
    JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload(Map.of("sub", user,
        "exp", System.currentTimeMillis() / 1000 + 3600, "channels", List.of(channels))));
    jws.sign(new MACSigner(TestServer.SECRET.getBytes(StandardCharsets.UTF_8)));
    return jws.serialize();
  }

  @ParameterizedTest
  @ValueSource(strings = {"http_stream", "sse_get", "websocket"})
  void theTokensChannelsAreServerSideSubscriptionsToo(String mode) throws Exception {
    String user = "uni-channels-" + mode;
    String broadcast = "uni-news-" + mode; // no namespace: public broadcast, only the server publishes
    try (Uni c = open(mode, new JsonObject().put("token", tokenWithChannels(user, broadcast)))) {
      JsonObject subs = c.connect().getJsonObject("subs");
      assertThat(subs.fieldNames()).containsExactlyInAnyOrder(broadcast, "notify:#" + user);
      publish(broadcast, new JsonObject().put("headline", "hi"));
      assertThat(c.nextPub(broadcast).getJsonObject("data").getString("headline")).isEqualTo("hi");
    }
  }

  /** One publication, encoded once per codec: each client gets its own shape, never the other's. */
  @Test
  void aBidirectionalAndAUniClientOfOneUserEachGetTheirShape() throws Exception {
    String user = "uni-mixed";
    try (WsClient sdkLike = client(user);
        Uni uni = open("http_stream", new JsonObject().put("token", server.token(user)))) {
      uni.connect();
      JsonObject sent = notify(user, new JsonObject().put("text", "both"));
      JsonObject wrapped = sdkLike.nextPub("notify:#" + user);
      JsonObject bare = uni.nextPub("notify:#" + user);
      assertThat(bare).isEqualTo(wrapped);
      assertThat(bare.getLong("offset")).isEqualTo(sent.getLong("offset"));
      assertThat(sdkLike.seen()).allSatisfy(o -> assertThat(o.containsKey("channel")).isFalse());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"http_stream", "sse_get", "websocket"})
  void pingsAreEmptyPushesAndNoPongIsAwaited(String mode) throws Exception {
    String user = "uni-ping-" + mode;
    try (Uni c = open(mode, new JsonObject().put("token", server.token(user)))) {
      c.connect();
      // Two pings: 2 to 4 s, well past the 1 s pong timeout a bidirectional client would be closed after.
      c.next(JsonObject::isEmpty);
      c.next(JsonObject::isEmpty);
      notify(user, new JsonObject().put("still", "here"));
      assertThat(c.nextPub("notify:#" + user).getJsonObject("data").getString("still")).isEqualTo("here");
    }
  }
}
