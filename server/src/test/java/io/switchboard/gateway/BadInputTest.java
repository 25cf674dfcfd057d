package io.switchboard.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.testsupport.StuckClient;
import io.switchboard.testsupport.NodeTestBase;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input and limits: each gets its protocol code, the other connections carry on, nothing is lost.
 * Limits are set small here so the tests reach them quickly.
 */
class BadInputTest extends NodeTestBase {

  @BeforeAll
  static void start() throws Exception {
    boot("""
        client:
          max_message_bytes: 4096
          max_subscriptions: 3
          command_rate: 50
          command_burst: 10
          max_outbound_bytes: 262144
        """);
  }



  int code(JsonObject reply) {
    return reply.getJsonObject("error").getInteger("code");
  }

  @Test
  void malformedJsonCloses3501AndOthersCarryOn() throws Exception {
    try (WsClient bystander = client("bystander"); WsClient bad = client("bad")) {
      bystander.subscribe("chat:calm");
      bad.sendRaw("{\"id\":5,\"presence\":");
      assertThat(bad.awaitClose()).isEqualTo((short) 3501);
      assertThat(bad.closeReason()).isNotEmpty();
      JsonObject r = bystander.call("publish", new JsonObject().put("channel", "chat:calm").put("data", new JsonObject().put("ok", true)));
      assertThat(r.containsKey("publish")).isTrue();
      assertThat(bystander.nextPub("chat:calm").getJsonObject("data").getBoolean("ok")).isTrue();
    }
  }

  @Test
  void aJsonValueThatIsNotAnObjectCloses3501() throws Exception {
    try (WsClient bad = client("bad")) {
      bad.sendRaw("[1,2,3]");
      assertThat(bad.awaitClose()).isEqualTo((short) 3501);
    }
  }

  @Test
  void unknownMethodIs104() throws Exception {
    try (WsClient c = client("u")) {
      c.sendRaw("{\"id\":7,\"frobnicate\":{}}");
      assertThat(code(c.reply(7))).isEqualTo(104);
      assertThat(c.isClosed()).isFalse();
    }
  }

  @Test
  void missingFieldsAndWrongTypesAre107() throws Exception {
    try (WsClient c = client("u")) {
      assertThat(code(c.call("subscribe", new JsonObject()))).isEqualTo(107);
      assertThat(code(c.call("subscribe", new JsonObject().put("channel", 42)))).isEqualTo(107);
      assertThat(code(c.call("publish", new JsonObject().put("channel", "chat:x")))).isEqualTo(107);
      assertThat(code(c.call("history", new JsonObject().put("channel", "chat:x").put("limit", "ten")))).isEqualTo(107);
      c.sendRaw("{\"id\":9,\"presence\":\"chat:x\"}");
      assertThat(code(c.reply(9))).isEqualTo(107);
    }
  }

  @Test
  void commandBeforeConnectCloses3501() throws Exception {
    try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
      c.send("subscribe", new JsonObject().put("channel", "news"));
      assertThat(c.awaitClose()).isEqualTo((short) 3501);
    }
  }

  @Test
  void secondConnectCloses3501() throws Exception {
    try (WsClient c = client("u")) {
      c.send("connect", new JsonObject().put("token", server.token("u")));
      assertThat(c.awaitClose()).isEqualTo((short) 3501);
    }
  }

  @Test
  void invalidTokenCloses3500AndExpiredTokenIs109() throws Exception {
    try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
      c.send("connect", new JsonObject().put("token", "not.a.jwt"));
      assertThat(c.awaitClose()).isEqualTo((short) 3500);
    }
    try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
      JsonObject r = c.call("connect", new JsonObject().put("token", server.minter.mint("u", java.time.Duration.ofSeconds(-30))));
      assertThat(code(r)).isEqualTo(109);
    }
  }

  @Test
  void frameOverTheMaximumCloses1009() throws Exception {
    try (WsClient c = client("big")) {
      String pad = "x".repeat(5000);
      c.sendRaw("{\"id\":1,\"publish\":{\"channel\":\"chat:big\",\"data\":\"" + pad + "\"}}");
      assertThat(c.awaitClose()).isEqualTo((short) 1009);
    }
  }

  @Test
  void invalidChannelNames() throws Exception {
    try (WsClient c = client("u")) {
      assertThat(code(c.call("subscribe", new JsonObject().put("channel", "chat:has space")))).isEqualTo(107);
      assertThat(code(c.call("subscribe", new JsonObject().put("channel", "chat:" + "a".repeat(300))))).isEqualTo(106);
      assertThat(code(c.call("subscribe", new JsonObject().put("channel", "nosuchns:room")))).isEqualTo(102);
      assertThat(code(c.call("subscribe", new JsonObject().put("channel", "chat:é")))).isEqualTo(107);
    }
  }

  @Test
  void tooManySubscriptionsIs106AndAlreadySubscribedIs105() throws Exception {
    try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
      // The personal channel is the first of the three allowed subscriptions.
      c.connect(server.token("many"));
      c.subscribe("chat:s1");
      assertThat(code(c.call("subscribe", new JsonObject().put("channel", "chat:s1")))).isEqualTo(105);
      c.subscribe("chat:s2");
      assertThat(code(c.call("subscribe", new JsonObject().put("channel", "chat:s3")))).isEqualTo(106);
    }
  }

  @Test
  void commandFloodGets111ThenCloses3013() throws Exception {
    try (WsClient c = client("flood")) {
      StringBuilder frame = new StringBuilder();
      for (int i = 1; i <= 30; i++) {
        if (i > 1) {
          frame.append('\n');
        }
        frame.append("{\"id\":").append(100 + i).append(",\"unsubscribe\":{\"channel\":\"chat:f\"}}");
      }
      c.sendRaw(frame.toString());
      assertThat(c.awaitClose()).isEqualTo((short) 3013);
      long rateErrors = c.seen().stream().filter(o -> o.containsKey("error") && o.getJsonObject("error").getInteger("code") == 111).count();
      assertThat(rateErrors).isGreaterThan(0);
      assertThat(c.seen().stream().filter(o -> o.containsKey("error")).findFirst().orElseThrow()
          .getJsonObject("error").getBoolean("temporary")).isTrue();
    }
  }

  @Test
  void slowConsumerIsClosedWith3008() throws Exception {
    var node = server.node.parts();
    try (WsClient fine = client("fine")) {
      fine.subscribe("chat:fine");
      double slowBefore = node.metrics().disconnectCount(3008);
      // Connects, subscribes (both in one message) and then never reads again.
      try (StuckClient stuck = new StuckClient(server.port(),
          "{\"id\":1,\"connect\":{\"token\":\"" + server.token("slow") + "\"}}\n"
              + "{\"id\":2,\"subscribe\":{\"channel\":\"typing:flood\"}}")) {
        long deadline = System.currentTimeMillis() + 5_000;
        while (node.hub().channelCounts().getOrDefault("typing:flood", 0) == 0 && System.currentTimeMillis() < deadline) {
          Thread.sleep(10);
        }
        String data = "\"" + "y".repeat(3000) + "\"";
        var ns = node.policy().resolve("typing:flood");
        deadline = System.currentTimeMillis() + 15_000;
        while (node.metrics().disconnectCount(3008) == slowBefore && System.currentTimeMillis() < deadline) {
          for (int i = 0; i < 100; i++) {
            node.broker().publish("typing:flood", ns, (data).getBytes(UTF_8), true, null, null, null, false);
          }
          Thread.sleep(5);
        }
        assertThat(node.metrics().disconnectCount(3008)).isEqualTo(slowBefore + 1);
      }
      // the other connection never noticed
      JsonObject r = fine.call("publish", new JsonObject().put("channel", "chat:fine").put("data", new JsonObject().put("ok", 1)));
      assertThat(r.containsKey("publish")).isTrue();
      assertThat(fine.nextPub("chat:fine").getJsonObject("data").getInteger("ok")).isEqualTo(1);
    }
  }

  @Test
  void slowProtobufConsumerIsClosedWith3008() throws Exception {
    var node = server.node.parts();
    double slowBefore = node.metrics().disconnectCount(3008);
    java.io.ByteArrayOutputStream first = new java.io.ByteArrayOutputStream();
    io.switchboard.codec.protobuf.wire.Command.newBuilder().setId(1).setConnect(
        io.switchboard.codec.protobuf.wire.ConnectRequest.newBuilder().setToken(server.token("slowpb")))
        .build().writeDelimitedTo(first);
    io.switchboard.codec.protobuf.wire.Command.newBuilder().setId(2).setSubscribe(
        io.switchboard.codec.protobuf.wire.SubscribeRequest.newBuilder().setChannel("typing:pbflood"))
        .build().writeDelimitedTo(first);
    try (StuckClient stuck = StuckClient.protobuf(server.port(), first.toByteArray())) {
      long deadline = System.currentTimeMillis() + 5_000;
      while (node.hub().channelCounts().getOrDefault("typing:pbflood", 0) == 0
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      assertThat(node.hub().channelCounts().getOrDefault("typing:pbflood", 0)).isEqualTo(1);
      byte[] data = ("\"" + "p".repeat(3000) + "\"").getBytes(UTF_8);
      var ns = node.policy().resolve("typing:pbflood");
      deadline = System.currentTimeMillis() + 15_000;
      while (node.metrics().disconnectCount(3008) == slowBefore && System.currentTimeMillis() < deadline) {
        for (int i = 0; i < 100; i++) {
          node.broker().publish("typing:pbflood", ns, data, true, null, null, null, false);
        }
        Thread.sleep(5);
      }
      assertThat(node.metrics().disconnectCount(3008)).isEqualTo(slowBefore + 1);
    }
  }

  @Test
  void foreignOriginIsRejectedWith403() throws Exception {
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> WsClient.open(vertx, server.wsUrl(), "http://evil.example"));
    assertThat(e.getCause()).isInstanceOf(UpgradeRejectedException.class);
    assertThat(((UpgradeRejectedException) e.getCause()).getStatus()).isEqualTo(403);
    try (WsClient own = WsClient.open(vertx, server.wsUrl(), "http://127.0.0.1:" + server.port())) {
      assertThat(own.connect(server.token("o")).getString("client")).isNotEmpty();
    }
    try (WsClient none = WsClient.open(vertx, server.wsUrl())) {
      assertThat(none.connect(server.token("o")).getString("client")).isNotEmpty();
    }
  }

  @Test
  void anUnknownSubprotocolOrCfProtocolIsRefusedAndProtobufIsAccepted() throws Exception {
    var client = vertx.createWebSocketClient();
    assertThatThrownBy(() -> client.connect(new io.vertx.core.http.WebSocketConnectOptions()
        .setAbsoluteURI(server.wsUrl()).addSubProtocol("mqtt")).toCompletionStage().toCompletableFuture().get())
        .hasCauseInstanceOf(UpgradeRejectedException.class);
    assertThatThrownBy(() -> client.connect(new io.vertx.core.http.WebSocketConnectOptions()
        .setAbsoluteURI(server.wsUrl() + "?cf_protocol=xml")).toCompletionStage().toCompletableFuture().get())
        .hasCauseInstanceOf(UpgradeRejectedException.class);
    var ws = client.connect(new io.vertx.core.http.WebSocketConnectOptions().setAbsoluteURI(server.wsUrl())
        .addSubProtocol("centrifuge-protobuf")).toCompletionStage().toCompletableFuture().get();
    assertThat(ws.subProtocol()).isEqualTo("centrifuge-protobuf");
    ws.close();
  }
}
