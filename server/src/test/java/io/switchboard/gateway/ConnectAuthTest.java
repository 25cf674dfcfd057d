package io.switchboard.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import io.switchboard.codec.protobuf.wire.Command;
import io.switchboard.codec.protobuf.wire.ConnectRequest;
import io.switchboard.codec.protobuf.wire.Reply;
import io.switchboard.codec.protobuf.wire.SubscribeRequest;
import io.switchboard.testsupport.NodeTestBase;
import io.switchboard.testsupport.TestServer;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connect refuses what it must, all or nothing, and positions that are not of the stream are never recovered:
 * anonymous tokens without {@code allow_anonymous}, token channels that do not exist or are too many, offsets
 * of 2^63 and more (JSON and Protobuf), empty epochs. Real node, real WebSockets, real PostgreSQL.
 */
class ConnectAuthTest extends NodeTestBase {

  @BeforeAll
  static void start() throws Exception {
    boot("""
        client:
          max_subscriptions: 4
        """);
  }

  /** A connection token with the given claims, signed with the node's secret. */
  static String token(Map<String, Object> claims) throws Exception {
    Map<String, Object> all = new HashMap<>(claims);
    all.put("exp", System.currentTimeMillis() / 1000 + 3600);
    JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload(all));
    jws.sign(new MACSigner(TestServer.SECRET.getBytes(UTF_8)));
    return jws.serialize();
  }

  @Test
  void aTokenWithoutAUserIsAnonymousAndRefusedWhileAnonymousIsOff() throws Exception {
    for (String token : List.of(server.token(""), token(Map.of()), token(Map.of("channels", List.of("chat:anon"))))) {
      try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
        c.send("connect", new JsonObject().put("token", token));
        assertThat(c.awaitClose()).isEqualTo((short) 3507);
        assertThat(c.seen()).noneMatch(o -> o.containsKey("connect"));
      }
    }
    assertThat(server.node.parts().hub().channelCounts()).doesNotContainKey("chat:anon");
  }

  @Test
  void aTokenNamingAChannelThatDoesNotExistRefusesTheConnectAndLeavesNothing() throws Exception {
    String room = "chat:aon-room";
    try (WsClient bob = client("aon-bob")) {
      bob.subscribe(room);
      try (WsClient alice = WsClient.open(vertx, server.wsUrl())) {
        JsonObject r = alice.call("connect", new JsonObject().put("token",
            token(Map.of("sub", "aon-alice", "channels", List.of(room, "nosuchnamespace:x")))));
        assertThat(r.getJsonObject("error").getInteger("code")).as("%s", r).isEqualTo(102);
        // Not in the room's presence, no join told, not connected: a command now is one before connect.
        JsonObject stats = bob.call("presence_stats", new JsonObject().put("channel", room))
            .getJsonObject("presence_stats");
        assertThat(stats.getInteger("num_clients")).isEqualTo(1);
        bob.expectNone(o -> o.containsKey("push") && o.getJsonObject("push").containsKey("join")
            && "aon-alice".equals(o.getJsonObject("push").getJsonObject("join").getJsonObject("info").getString("user")),
            300);
        alice.send("subscribe", new JsonObject().put("channel", "chat:aon-other"));
        assertThat(alice.awaitClose()).isEqualTo((short) 3501);
      }
      assertThat(server.node.parts().hub().channelCounts()).doesNotContainKey("notify:#aon-alice");
    }
  }

  @Test
  void moreServerSideChannelsThanMaxSubscriptionsClose3505() throws Exception {
    // Four token channels and the personal one: five, over the limit of four.
    List<String> channels = List.of("chat:lim1", "chat:lim2", "chat:lim3", "chat:lim4");
    try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
      c.send("connect", new JsonObject().put("token", token(Map.of("sub", "lim", "channels", channels))));
      assertThat(c.awaitClose()).isEqualTo((short) 3505);
    }
    assertThat(server.node.parts().hub().channelCounts()).doesNotContainKeys("chat:lim1", "notify:#lim");
    // Three and the personal one: four, at the limit.
    try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
      JsonObject subs = c.connect(token(Map.of("sub", "lim", "channels", channels.subList(0, 3))))
          .getJsonObject("subs");
      assertThat(subs.fieldNames()).containsExactlyInAnyOrder("chat:lim1", "chat:lim2", "chat:lim3", "notify:#lim");
    }
  }

  /** Publishes {@code n} messages, returning the stream's epoch. */
  private static String backlog(String channel, int n) throws Exception {
    try (WsClient w = client("backlog-writer")) {
      String epoch = w.subscribe(channel).getString("epoch");
      for (int i = 0; i < n; i++) {
        w.call("publish", new JsonObject().put("channel", channel).put("data", new JsonObject().put("i", i)));
      }
      return epoch;
    }
  }

  @Test
  void offsetsOfTwoToThe63AndMoreAre107OverJson() throws Exception {
    String ch = "chat:big-offset-json";
    String epoch = backlog(ch, 3);
    try (WsClient c = client("big-json")) {
      for (String offset : List.of("9223372036854775808", "18446744073709551615", "-1", "1e30")) {
        long id = c.nextId();
        c.sendRaw("{\"id\":" + id + ",\"subscribe\":{\"channel\":\"" + ch + "\",\"recover\":true,\"offset\":"
            + offset + ",\"epoch\":\"" + epoch + "\"}}");
        JsonObject r = c.reply(id);
        assertThat(r.getJsonObject("error")).as("offset %s: %s", offset, r).isNotNull();
        assertThat(r.getJsonObject("error").getInteger("code")).isEqualTo(107);
      }
      long id = c.nextId();
      c.sendRaw("{\"id\":" + id + ",\"history\":{\"channel\":\"" + ch + "\",\"limit\":10,\"since\":{\"offset\":"
          + "9223372036854775808,\"epoch\":\"" + epoch + "\"}}}");
      assertThat(c.reply(id).getJsonObject("error").getInteger("code")).isEqualTo(107);
      // The largest offset there is still parses: a position beyond the top, so nothing is recovered.
      JsonObject ok = c.call("subscribe", new JsonObject().put("channel", ch).put("recover", true)
          .put("offset", Long.MAX_VALUE).put("epoch", epoch)).getJsonObject("subscribe");
      assertThat(ok.getBoolean("recovered", false)).isFalse();
      assertThat(ok.getJsonArray("publications", new JsonArray())).isEmpty();
    }
  }

  @Test
  void anEmptyOrOtherEpochIsNeverRecovered() throws Exception {
    String ch = "chat:no-epoch";
    String epoch = backlog(ch, 3);
    for (String bad : List.of("", "not-the-epoch")) {
      try (WsClient c = client("no-epoch")) {
        JsonObject sub = new JsonObject().put("channel", ch).put("recover", true).put("offset", 0);
        if (!bad.isEmpty()) {
          sub.put("epoch", bad);
        }
        JsonObject r = c.call("subscribe", sub).getJsonObject("subscribe");
        assertThat(r.getBoolean("recovered", false)).as("epoch '%s': %s", bad, r).isFalse();
        assertThat(r.getJsonArray("publications", new JsonArray())).isEmpty();
        assertThat(r.getLong("offset")).isEqualTo(3L);
        assertThat(r.getString("epoch")).isEqualTo(epoch);
      }
    }
    try (WsClient c = client("no-epoch")) { // the same position in the right epoch is recovered
      JsonObject r = c.call("subscribe", new JsonObject().put("channel", ch).put("recover", true).put("offset", 1)
          .put("epoch", epoch)).getJsonObject("subscribe");
      assertThat(r.getBoolean("recovered")).isTrue();
      assertThat(ProtocolCommandsTest.offsets(r.getJsonArray("publications"))).containsExactly(2L, 3L);
    }
  }

  @Test
  void offsetsOfTwoToThe63AndMoreAre107OverProtobuf() throws Exception {
    String ch = "chat:big-offset-pb";
    String epoch = backlog(ch, 3);
    LinkedBlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    // Held until the end: Vert.x closes a client that becomes unreachable, with its sockets, at the next GC.
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocket ws = client.connect(new WebSocketConnectOptions()
        .setAbsoluteURI(server.wsUrl()).addSubProtocol("centrifuge-protobuf"))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    CompletableFuture<Short> closed = new CompletableFuture<>();
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
    ws.binaryMessageHandler(b -> {
      try (ByteArrayInputStream in = new ByteArrayInputStream(b.getBytes())) {
        Reply r;
        while ((r = Reply.parseDelimitedFrom(in)) != null) {
          replies.add(r);
        }
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Command.newBuilder().setId(1).setConnect(ConnectRequest.newBuilder().setToken(server.token("big-pb")))
          .build().writeDelimitedTo(out);
      // uint64 2^63 and 2^64-1: what a Java long holds as Long.MIN_VALUE and -1.
      Command.newBuilder().setId(2).setSubscribe(SubscribeRequest.newBuilder().setChannel(ch).setRecover(true)
          .setOffset(Long.MIN_VALUE).setEpoch(epoch)).build().writeDelimitedTo(out);
      Command.newBuilder().setId(3).setSubscribe(SubscribeRequest.newBuilder().setChannel(ch).setRecover(true)
          .setOffset(-1L).setEpoch(epoch)).build().writeDelimitedTo(out);
      Command.newBuilder().setId(4).setSubscribe(SubscribeRequest.newBuilder().setChannel(ch).setRecover(true)
          .setOffset(2).setEpoch(epoch)).build().writeDelimitedTo(out);
      ws.writeBinaryMessage(Buffer.buffer(out.toByteArray()));
      Map<Integer, Reply> byId = new HashMap<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (byId.size() < 4 && System.nanoTime() < deadline) {
        Reply r = replies.poll(100, TimeUnit.MILLISECONDS);
        if (r != null && r.getId() > 0) {
          byId.put(r.getId(), r);
        }
      }
      assertThat(byId.get(1).hasConnect()).as("%s", byId.get(1)).isTrue();
      assertThat(byId.get(2).getError().getCode()).as("%s", byId.get(2)).isEqualTo(107);
      assertThat(byId.get(3).getError().getCode()).as("%s", byId.get(3)).isEqualTo(107);
      // A good offset after them: recovered from there, so the refusals did not end the connection.
      assertThat(byId.get(4).getSubscribe().getRecovered()).as("%s", byId.get(4)).isTrue();
      assertThat(byId.get(4).getSubscribe().getPublicationsList()).hasSize(1);
      assertThat(closed).isNotDone();
    } finally {
      ws.close();
      client.close();
    }
  }
}
