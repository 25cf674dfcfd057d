package io.switchboard.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testsupport.NodeTestBase;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every client command against a real node, over a real WebSocket, with real PostgreSQL. */
class ProtocolCommandsTest extends NodeTestBase {

  @BeforeAll
  static void start() throws Exception {
    boot(null);
  }



  @Test
  void connectReplyCarriesClientPingAndThePersonalChannel() throws Exception {
    try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
      JsonObject r = c.connect(server.token("alice"));
      assertThat(r.getString("client")).hasSize(36);
      assertThat(r.getInteger("ping")).isEqualTo(25);
      assertThat(r.getBoolean("pong")).isTrue();
      assertThat(r.getBoolean("expires")).isTrue();
      assertThat(r.getLong("ttl")).isBetween(3500L, 3600L);
      JsonObject personal = r.getJsonObject("subs").getJsonObject("notify:#alice");
      assertThat(personal.getBoolean("recoverable")).isTrue();
      assertThat(personal.getBoolean("positioned")).isTrue();
      assertThat(personal.getString("epoch")).isNotEmpty();
    }
  }

  @Test
  void publishReachesSubscribersWithOffsetsAndInfo() throws Exception {
    try (WsClient a = client("alice"); WsClient b = client("bob")) {
      JsonObject sub = b.subscribe("chat:pub1");
      assertThat(sub.getBoolean("recoverable")).isTrue();
      assertThat(sub.getString("epoch")).isNotEmpty();
      a.subscribe("chat:pub1");
      JsonObject reply = a.call("publish", new JsonObject().put("channel", "chat:pub1")
          .put("data", new JsonObject().put("text", "hi")));
      assertThat(reply.getJsonObject("publish")).isEqualTo(new JsonObject());
      JsonObject pub = b.nextPub("chat:pub1");
      assertThat(pub.getJsonObject("data").getString("text")).isEqualTo("hi");
      assertThat(pub.getLong("offset")).isEqualTo(1L);
      assertThat(pub.getJsonObject("info").getString("user")).isEqualTo("alice");
      assertThat(pub.getJsonObject("info").getString("client")).isEqualTo(a.seen().get(0).getJsonObject("connect").getString("client"));
      assertThat(a.nextPub("chat:pub1").getLong("offset")).isEqualTo(1L);
    }
  }

  @Test
  void unsubscribeStopsPushesAndAlwaysSucceeds() throws Exception {
    try (WsClient a = client("alice")) {
      a.subscribe("chat:unsub");
      assertThat(a.call("unsubscribe", new JsonObject().put("channel", "chat:unsub")).getJsonObject("unsubscribe"))
          .isEqualTo(new JsonObject());
      assertThat(a.call("unsubscribe", new JsonObject().put("channel", "chat:never")).containsKey("unsubscribe")).isTrue();
      server.node.parts().broker().publish("chat:unsub", server.node.parts().policy().resolve("chat:unsub"), ("{\"x\":1}").getBytes(UTF_8), true,
          null, null, null, false).toCompletionStage().toCompletableFuture().get();
      a.expectNone(o -> o.containsKey("push") && o.getJsonObject("push").containsKey("pub"), 300);
    }
  }

  @Test
  void presenceStatsAndJoinLeave() throws Exception {
    try (WsClient a = client("alice"); WsClient b = client("bob")) {
      a.call("subscribe", new JsonObject().put("channel", "chat:room-pres").put("join_leave", true));
      b.subscribe("chat:room-pres");
      JsonObject join = a.next(o -> o.containsKey("push") && o.getJsonObject("push").containsKey("join")
          && "bob".equals(o.getJsonObject("push").getJsonObject("join").getJsonObject("info").getString("user")));
      assertThat(join.getJsonObject("push").getString("channel")).isEqualTo("chat:room-pres");
      JsonObject presence = a.call("presence", new JsonObject().put("channel", "chat:room-pres"))
          .getJsonObject("presence").getJsonObject("presence");
      assertThat(presence.size()).isEqualTo(2);
      assertThat(presence.stream().map(e -> ((JsonObject) e.getValue()).getString("user")))
          .containsExactlyInAnyOrder("alice", "bob");
      JsonObject stats = a.call("presence_stats", new JsonObject().put("channel", "chat:room-pres"))
          .getJsonObject("presence_stats");
      assertThat(stats.getInteger("num_clients")).isEqualTo(2);
      assertThat(stats.getInteger("num_users")).isEqualTo(2);
      b.call("unsubscribe", new JsonObject().put("channel", "chat:room-pres"));
      JsonObject leave = a.next(o -> o.containsKey("push") && o.getJsonObject("push").containsKey("leave"));
      assertThat(leave.getJsonObject("push").getJsonObject("leave").getJsonObject("info").getString("user")).isEqualTo("bob");
      stats = a.call("presence_stats", new JsonObject().put("channel", "chat:room-pres")).getJsonObject("presence_stats");
      assertThat(stats.getInteger("num_clients")).isEqualTo(1);
    }
  }

  @Test
  void presenceIsRefusedWhereTheNamespaceHasNone() throws Exception {
    try (WsClient a = client("alice")) {
      a.subscribe("typing:r1");
      JsonObject r = a.call("presence", new JsonObject().put("channel", "typing:r1"));
      assertThat(r.getJsonObject("error").getInteger("code")).isEqualTo(108);
    }
  }

  @Test
  void historyPagesForwardReverseAndSince() throws Exception {
    try (WsClient a = client("alice")) {
      a.subscribe("chat:hist");
      for (int i = 1; i <= 5; i++) {
        a.call("publish", new JsonObject().put("channel", "chat:hist").put("data", new JsonObject().put("n", i)));
      }
      JsonObject all = a.call("history", new JsonObject().put("channel", "chat:hist").put("limit", -1)).getJsonObject("history");
      assertThat(all.getLong("offset")).isEqualTo(5L);
      assertThat(offsets(all.getJsonArray("publications"))).containsExactly(1L, 2L, 3L, 4L, 5L);
      JsonObject rev = a.call("history", new JsonObject().put("channel", "chat:hist").put("limit", 2).put("reverse", true))
          .getJsonObject("history");
      assertThat(offsets(rev.getJsonArray("publications"))).containsExactly(5L, 4L);
      String epoch = all.getString("epoch");
      JsonObject since = a.call("history", new JsonObject().put("channel", "chat:hist").put("limit", 10)
          .put("since", new JsonObject().put("offset", 3).put("epoch", epoch))).getJsonObject("history");
      assertThat(offsets(since.getJsonArray("publications"))).containsExactly(4L, 5L);
      JsonObject older = a.call("history", new JsonObject().put("channel", "chat:hist").put("limit", 2).put("reverse", true)
          .put("since", new JsonObject().put("offset", 4).put("epoch", epoch))).getJsonObject("history");
      assertThat(offsets(older.getJsonArray("publications"))).containsExactly(3L, 2L);
      JsonObject posOnly = a.call("history", new JsonObject().put("channel", "chat:hist")).getJsonObject("history");
      assertThat(posOnly.getJsonArray("publications")).isEmpty();
      assertThat(posOnly.getLong("offset")).isEqualTo(5L);
      JsonObject wrongEpoch = a.call("history", new JsonObject().put("channel", "chat:hist").put("limit", 10)
          .put("since", new JsonObject().put("offset", 3).put("epoch", "nope")));
      assertThat(wrongEpoch.getJsonObject("error").getInteger("code")).isEqualTo(112);
      JsonObject noHistory = a.call("history", new JsonObject().put("channel", "typing:x").put("limit", 1));
      assertThat(noHistory.getJsonObject("error").getInteger("code")).isEqualTo(108);
    }
  }

  static java.util.List<Long> offsets(JsonArray pubs) {
    return pubs.stream().map(o -> ((JsonObject) o).getLong("offset")).toList();
  }

  @Test
  void readMarkersSyncToTheUsersOtherConnectionsAndCountUnread() throws Exception {
    try (WsClient phone = client("carol"); WsClient laptop = client("carol"); WsClient dave = client("dave")) {
      phone.subscribe("chat:unread");
      laptop.subscribe("chat:unread");
      dave.subscribe("chat:unread");
      for (int i = 0; i < 3; i++) {
        dave.call("publish", new JsonObject().put("channel", "chat:unread").put("data", new JsonObject().put("i", i)));
      }
      JsonObject unread = phone.call("rpc", new JsonObject().put("method", "unread"))
          .getJsonObject("rpc").getJsonObject("data").getJsonObject("channels");
      assertThat(unread.getLong("chat:unread")).isEqualTo(3L);
      JsonObject read = phone.call("rpc", new JsonObject().put("method", "read")
          .put("data", new JsonObject().put("channel", "chat:unread").put("offset", 2)));
      assertThat(read.getJsonObject("rpc").getJsonObject("data").getLong("offset")).isEqualTo(2L);
      JsonObject msg = laptop.next(o -> o.containsKey("push") && o.getJsonObject("push").containsKey("message"));
      assertThat(msg.getJsonObject("push").getJsonObject("message").getJsonObject("data"))
          .isEqualTo(new JsonObject().put("type", "read").put("channel", "chat:unread").put("offset", 2));
      phone.expectNone(o -> o.containsKey("push") && o.getJsonObject("push").containsKey("message"), 200);
      JsonObject after = laptop.call("rpc", new JsonObject().put("method", "unread")
          .put("data", new JsonObject().put("channels", new JsonArray().add("chat:unread"))))
          .getJsonObject("rpc").getJsonObject("data").getJsonObject("channels");
      assertThat(after.getLong("chat:unread")).isEqualTo(1L);
      // A read position never moves backwards.
      JsonObject back = phone.call("rpc", new JsonObject().put("method", "read")
          .put("data", new JsonObject().put("channel", "chat:unread").put("offset", 1)));
      assertThat(back.getJsonObject("rpc").getJsonObject("data").getLong("offset")).isEqualTo(2L);
      JsonObject unknown = phone.call("rpc", new JsonObject().put("method", "nope"));
      assertThat(unknown.getJsonObject("error").getInteger("code")).isEqualTo(104);
    }
  }

  @Test
  void refreshExtendsTheConnection() throws Exception {
    try (WsClient a = client("alice")) {
      JsonObject r = a.call("refresh", new JsonObject().put("token", server.minter.mint("alice", Duration.ofHours(2))))
          .getJsonObject("refresh");
      assertThat(r.getString("client")).isNotEmpty();
      assertThat(r.getLong("ttl")).isGreaterThan(7000L);
    }
  }

  @Test
  void refreshWithAnotherUsersTokenCloses3500() throws Exception {
    try (WsClient a = client("alice")) {
      a.send("refresh", new JsonObject().put("token", server.token("mallory")));
      assertThat(a.awaitClose()).isEqualTo((short) 3500);
    }
  }

  @Test
  void subscriptionTokensForPrivateChannels() throws Exception {
    try (WsClient a = client("alice")) {
      JsonObject denied = a.call("subscribe", new JsonObject().put("channel", "chat:$secret"));
      assertThat(denied.getJsonObject("error").getInteger("code")).isEqualTo(103);
      String tok = server.minter.mintSubscription("alice", "chat:$secret", Duration.ofMinutes(5));
      JsonObject ok = a.call("subscribe", new JsonObject().put("channel", "chat:$secret").put("token", tok));
      assertThat(ok.getJsonObject("subscribe").getBoolean("expires")).isTrue();
      String tok2 = server.minter.mintSubscription("alice", "chat:$secret", Duration.ofMinutes(10));
      JsonObject refreshed = a.call("sub_refresh", new JsonObject().put("channel", "chat:$secret").put("token", tok2));
      assertThat(refreshed.getJsonObject("sub_refresh").getLong("ttl")).isGreaterThan(500L);
      String expired = server.minter.mintSubscription("alice", "chat:$other", Duration.ofSeconds(-10));
      JsonObject exp = a.call("subscribe", new JsonObject().put("channel", "chat:$other").put("token", expired));
      assertThat(exp.getJsonObject("error").getInteger("code")).isEqualTo(109);
    }
  }

  @Test
  void userLimitedChannelsAdmitOnlyTheirUsers() throws Exception {
    try (WsClient alice = client("alice"); WsClient eve = client("eve")) {
      assertThat(alice.call("subscribe", new JsonObject().put("channel", "dm:#alice,bob")).containsKey("subscribe")).isTrue();
      assertThat(eve.call("subscribe", new JsonObject().put("channel", "dm:#alice,bob"))
          .getJsonObject("error").getInteger("code")).isEqualTo(103);
      assertThat(eve.call("subscribe", new JsonObject().put("channel", "notify:#alice"))
          .getJsonObject("error").getInteger("code")).isEqualTo(103);
    }
  }

  @Test
  void channelsWithoutNamespaceArePublicBroadcastOnlyTheServerPublishes() throws Exception {
    try (WsClient a = client("alice")) {
      assertThat(a.subscribe("news")).isEqualTo(new JsonObject());
      JsonObject r = a.call("publish", new JsonObject().put("channel", "news").put("data", new JsonObject()));
      assertThat(r.getJsonObject("error").getInteger("code")).isEqualTo(103);
    }
  }

  @Test
  void personalChannelGetsServerPublications() throws Exception {
    try (WsClient a = client("frank")) {
      var node = server.node.parts();
      node.broker().publish("notify:#frank", node.policy().resolve("notify:#frank"), ("{\"note\":\"hello\"}").getBytes(UTF_8), true, null, null, null, false)
          .toCompletionStage().toCompletableFuture().get();
      JsonObject pub = a.nextPub("notify:#frank");
      assertThat(pub.getJsonObject("data").getString("note")).isEqualTo("hello");
      assertThat(pub.getLong("offset")).isEqualTo(1L);
    }
  }

  @Test
  void sendIsAcceptedWithoutReply() throws Exception {
    try (WsClient a = client("alice")) {
      a.sendRaw(new JsonObject().put("send", new JsonObject().put("data", new JsonObject().put("x", 1))).encode());
      JsonObject r = a.call("subscribe", new JsonObject().put("channel", "news"));
      assertThat(r.containsKey("subscribe")).isTrue();
      assertThat(a.seen().stream().filter(o -> o.containsKey("id")).count()).isEqualTo(2); // connect + subscribe only
      assertThat(a.isClosed()).isFalse();
    }
  }

  @Test
  void commandsInOneFrameRunInOrderAndRepliesMayShareAFrame() throws Exception {
    try (WsClient a = WsClient.open(vertx, server.wsUrl())) {
      a.sendRaw("{\"id\":1,\"connect\":{\"token\":\"" + server.token("gina") + "\",\"name\":\"js\"}}\n"
          + "{\"id\":2,\"subscribe\":{\"channel\":\"chat:batch\"},\"flag\":1}\n{\"id\":3,\"subscribe\":{\"channel\":\"news\"}}");
      assertThat(a.reply(1).containsKey("connect")).isTrue();
      assertThat(a.reply(2).containsKey("subscribe")).isTrue();
      assertThat(a.reply(3).containsKey("subscribe")).isTrue();
      java.util.List<Long> ids = a.seen().stream().filter(o -> o.containsKey("id")).map(o -> o.getLong("id")).toList();
      assertThat(ids).containsExactly(1L, 2L, 3L);
    }
  }
}
