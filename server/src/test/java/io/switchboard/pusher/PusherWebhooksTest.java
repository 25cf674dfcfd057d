package io.switchboard.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testsupport.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pusher webhooks of one in-process node, POSTed over real HTTP to a receiver here that checks X-Pusher-Key and
 * X-Pusher-Signature with the app's key and secret: channel occupancy, presence members and client events of
 * the app's channels under their Pusher names, nothing of another app's or of Centrifugo-only kinds.
 */
class PusherWebhooksTest {
  static final String KEY = "hooks-key";
  static final String SECRET = "hooks-secret-0123456789abcdef";
  Vertx vertx;
  WebSocketClient client;
  HttpServer receiver;
  TestServer server;
  final List<JsonObject> events = new CopyOnWriteArrayList<>();
  final List<String> refused = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    client = vertx.createWebSocketClient();
    receiver = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      String sig = req.getHeader("X-Pusher-Signature");
      if (!KEY.equals(req.getHeader("X-Pusher-Key")) || sig == null || !sig.equals(hmacHex(body.getBytes()))
          || !"application/json".equals(req.getHeader("Content-Type"))) {
        refused.add(String.valueOf(sig));
        req.response().setStatusCode(401).end();
        return;
      }
      JsonObject batch = body.toJsonObject();
      assertThat(batch.getLong("time_ms")).isPositive();
      batch.getJsonArray("events").forEach(e -> events.add((JsonObject) e));
      req.response().setStatusCode(200).end();
    })).listen(0, "127.0.0.1").await();
    String url = "http://127.0.0.1:" + receiver.actualPort() + "/pusher/webhooks";
    server = TestServer.start("push:\n  enabled: false\nwebhooks:\n  poll_interval: 200ms\npusher:\n  apps:\n"
        + "    - id: hooks\n      key: " + KEY + "\n      secret: " + SECRET + "\n      enable_client_messages: true\n"
        + "      webhooks:\n        - url: " + url + "\n"
        + "    - id: other\n      key: other-key\n      secret: other-secret-0123456789abcdef\n"
        + "      webhooks:\n        - {url: \"" + url + "\", event_types: [member_added]}\n");
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
    vertx.close();
  }

  static String hmacHex(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A raw Pusher protocol client. */
  final class Client {
    final WebSocket ws;
    final BlockingQueue<JsonObject> in = new LinkedBlockingQueue<>();
    final String socketId;

    Client(String key) throws Exception {
      ws = open(key);
      JsonObject established = next("pusher:connection_established");
      socketId = new JsonObject(established.getString("data")).getString("socket_id");
    }

    /**
     * The handler is set before the upgrade: the server's first frame may come with its 101. The socket comes
     * from the test's client, held in a field: Vert.x closes a client that becomes unreachable, with its
     * sockets, at the next GC (a handshake then ends in "Connection closed").
     */
    private WebSocket open(String key) {
      io.vertx.core.http.ClientWebSocket socket = client.webSocket();
      socket.textMessageHandler(t -> in.add(new JsonObject(t)));
      return socket.connect(server.port(), "127.0.0.1", "/app/" + key).await();
    }

    JsonObject next(String event) throws InterruptedException {
      long deadline = System.currentTimeMillis() + 10_000;
      while (System.currentTimeMillis() < deadline) {
        JsonObject e = in.poll(100, TimeUnit.MILLISECONDS);
        if (e != null && event.equals(e.getString("event"))) {
          return e;
        }
      }
      throw new AssertionError("no " + event);
    }

    void send(JsonObject o) {
      ws.writeTextMessage(o.encode()).await();
    }

    void subscribe(String channel, String channelData) throws InterruptedException {
      JsonObject data = new JsonObject().put("channel", channel);
      if (channel.startsWith("private-") || channel.startsWith("presence-")) {
        String signed = socketId + ":" + channel + (channelData == null ? "" : ":" + channelData);
        data.put("auth", KEY + ":" + PusherSignatures.hmacHex(SECRET, signed));
        if (channelData != null) {
          data.put("channel_data", channelData);
        }
      }
      send(new JsonObject().put("event", "pusher:subscribe").put("data", data));
      next("pusher_internal:subscription_succeeded");
    }
  }

  List<JsonObject> of(String name, String channel) {
    return events.stream().filter(e -> name.equals(e.getString("name")) && channel.equals(e.getString("channel")))
        .toList();
  }

  void await(String name, String channel, int count) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (of(name, channel).size() < count && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(of(name, channel)).as("%s %s in %s", name, channel, events).hasSize(count);
  }

  @Test
  void occupancyMembersAndClientEventsInPushersFormat() throws Exception {
    Client a = new Client(KEY);
    a.subscribe("news", null);
    a.subscribe("presence-room", "{\"user_id\":\"u1\",\"user_info\":{\"name\":\"Ann\"}}");
    Client b = new Client(KEY);
    b.subscribe("presence-room", "{\"user_id\":\"u2\"}");
    await("channel_occupied", "news", 1);
    await("channel_occupied", "presence-room", 1);
    await("member_added", "presence-room", 2);
    assertThat(of("member_added", "presence-room")).extracting(e -> e.getString("user_id"))
        .containsExactlyInAnyOrder("u1", "u2");

    a.send(new JsonObject().put("event", "client-typing").put("channel", "presence-room")
        .put("data", new JsonObject().put("typing", true)));
    b.next("client-typing");
    await("client_event", "presence-room", 1);
    JsonObject ce = of("client_event", "presence-room").get(0);
    assertThat(ce.getString("event")).isEqualTo("client-typing");
    assertThat(new JsonObject(ce.getString("data"))).isEqualTo(new JsonObject().put("typing", true));
    assertThat(ce.getString("socket_id")).isEqualTo(a.socketId);
    assertThat(ce.getString("user_id")).isEqualTo("u1");

    a.ws.close().await();
    await("member_removed", "presence-room", 1);
    assertThat(of("member_removed", "presence-room").get(0).getString("user_id")).isEqualTo("u1");
    await("channel_vacated", "news", 1);
    assertThat(of("channel_vacated", "presence-room")).isEmpty(); // b is still there
    b.ws.close().await();
    await("channel_vacated", "presence-room", 1);

    // a public channel has no members; no Centrifugo-only kinds, no Switchboard names, nothing refused
    Thread.sleep(500);
    assertThat(events).noneMatch(e -> e.getString("channel").contains(":"));
    assertThat(events).extracting(e -> e.getString("name")).allMatch(PusherConfigNames::known);
    assertThat(of("member_added", "news")).isEmpty();
    assertThat(refused).isEmpty();
  }

  @Test
  void anotherAppsWebhookGetsOnlyItsAppsEventsItAskedFor() throws Exception {
    Client c = new Client("other-key");
    c.send(new JsonObject().put("event", "pusher:subscribe").put("data", new JsonObject()
        .put("channel", "presence-room").put("channel_data", "{\"user_id\":\"z\"}")
        .put("auth", "other-key:" + PusherSignatures.hmacHex("other-secret-0123456789abcdef",
            c.socketId + ":presence-room:{\"user_id\":\"z\"}"))));
    c.next("pusher_internal:subscription_succeeded");
    Client mine = new Client(KEY);
    mine.subscribe("news", null);
    await("channel_occupied", "news", 1);
    long deadline = System.currentTimeMillis() + 5_000;
    while (refused.isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    // the other app's member_added is signed with ITS key and secret: this receiver (the first app's) refuses
    // it (again on each retry)
    assertThat(refused).isNotEmpty();
    assertThat(of("channel_occupied", "presence-room")).isEmpty();
    assertThat(of("member_added", "presence-room")).isEmpty();
  }

  /** Pusher's webhook event names. */
  static final class PusherConfigNames {
    static boolean known(String name) {
      return io.switchboard.config.PusherConfig.WEBHOOK_EVENTS.contains(name);
    }
  }
}
