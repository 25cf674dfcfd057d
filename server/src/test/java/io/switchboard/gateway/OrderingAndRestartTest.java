package io.switchboard.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testsupport.NodeTestBase;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Concurrent publishers keep a gap-free order; a restarted server lets clients recover everything. */
class OrderingAndRestartTest extends NodeTestBase {

  @BeforeAll
  static void start() throws Exception {
    boot(null);
  }



  @Test
  void concurrentPublishersOnManyConnectionsYieldOneGapFreeOrder() throws Exception {
    String ch = "chat:concurrent";
    int publishers = 6;
    int each = 40;
    List<WsClient> pubs = new ArrayList<>();
    try (WsClient sub1 = client("s1"); WsClient sub2 = client("s2")) {
      sub1.subscribe(ch);
      sub2.subscribe(ch);
      for (int p = 0; p < publishers; p++) {
        WsClient c = client("p" + p);
        c.subscribe(ch);
        pubs.add(c);
      }
      // Every publisher sends its publishes in one frame: the server runs them back to back, and the
      // connections (spread over both event loops) race each other into PostgreSQL.
      for (int p = 0; p < publishers; p++) {
        StringBuilder frame = new StringBuilder();
        for (int i = 0; i < each; i++) {
          if (i > 0) {
            frame.append('\n');
          }
          frame.append(new JsonObject().put("id", 1000 + i).put("publish",
              new JsonObject().put("channel", ch).put("data", new JsonObject().put("p", p).put("i", i))).encode());
        }
        pubs.get(p).sendRaw(frame.toString());
      }
      for (WsClient s : List.of(sub1, sub2)) {
        List<Long> offsets = new ArrayList<>();
        Set<String> payloads = new HashSet<>();
        for (int n = 0; n < publishers * each; n++) {
          JsonObject pub = s.nextPub(ch);
          offsets.add(pub.getLong("offset"));
          payloads.add(pub.getJsonObject("data").encode());
        }
        for (int i = 0; i < offsets.size(); i++) {
          assertThat(offsets.get(i)).isEqualTo(i + 1L);
        }
        assertThat(payloads).hasSize(publishers * each);
      }
      // each publisher's own messages keep their order
      JsonObject hist = sub1.call("history", new JsonObject().put("channel", ch).put("limit", -1)).getJsonObject("history");
      int[] last = new int[publishers];
      java.util.Arrays.fill(last, -1);
      for (Object o : hist.getJsonArray("publications")) {
        JsonObject d = ((JsonObject) o).getJsonObject("data");
        assertThat(d.getInteger("i")).isGreaterThan(last[d.getInteger("p")]);
        last[d.getInteger("p")] = d.getInteger("i");
      }
    } finally {
      pubs.forEach(WsClient::close);
    }
  }

  @Test
  void publishersInManyRoomsAtOnceEachGetTheirRoomsOwnGapFreeOrder() throws Exception {
    // The rooms' publishes share commits (group commit across channels): what each room receives must still
    // be its own publications only, at offsets 1..n, each publisher's in its order.
    int rooms = 8;
    int perRoom = 2;
    int each = 25;
    List<WsClient> all = new ArrayList<>();
    try {
      List<WsClient> subs = new ArrayList<>();
      for (int r = 0; r < rooms; r++) {
        WsClient s = client("room-sub" + r);
        s.subscribe("chat:many-" + r);
        subs.add(s);
        all.add(s);
      }
      List<WsClient> publishers = new ArrayList<>();
      for (int p = 0; p < rooms * perRoom; p++) {
        WsClient c = client("room-pub" + p);
        c.subscribe("chat:many-" + (p % rooms));
        publishers.add(c);
        all.add(c);
      }
      for (int p = 0; p < publishers.size(); p++) {
        StringBuilder frame = new StringBuilder();
        for (int i = 0; i < each; i++) {
          frame.append(i > 0 ? "\n" : "").append(new JsonObject().put("id", 1000 + i).put("publish",
              new JsonObject().put("channel", "chat:many-" + (p % rooms))
                  .put("data", new JsonObject().put("p", p).put("i", i))).encode());
        }
        publishers.get(p).sendRaw(frame.toString());
      }
      for (int r = 0; r < rooms; r++) {
        int[] last = new int[publishers.size()];
        java.util.Arrays.fill(last, -1);
        for (int n = 1; n <= perRoom * each; n++) {
          JsonObject pub = subs.get(r).nextPub("chat:many-" + r);
          assertThat(pub.getLong("offset")).isEqualTo((long) n);
          int p = pub.getJsonObject("data").getInteger("p");
          assertThat(p % rooms).as("room %d got a publication of another room", r).isEqualTo(r);
          assertThat(pub.getJsonObject("data").getInteger("i")).isEqualTo(last[p] + 1);
          last[p]++;
        }
      }
      for (WsClient c : publishers) {
        for (int i = 0; i < each; i++) {
          assertThat(c.reply(1000 + i).containsKey("publish")).isTrue();
        }
      }
    } finally {
      all.forEach(WsClient::close);
    }
  }

  @Test
  void clientRecoversEveryPublicationMissedAcrossAServerRestart() throws Exception {
    String ch = "chat:restart";
    String epoch;
    long lastSeen;
    try (WsClient a = client("r")) {
      epoch = a.subscribe(ch).getString("epoch");
      for (int i = 0; i < 3; i++) {
        a.call("publish", new JsonObject().put("channel", ch).put("data", new JsonObject().put("before", i)));
      }
      lastSeen = 0;
      for (int i = 0; i < 3; i++) {
        lastSeen = a.nextPub(ch).getLong("offset");
      }
      server = server.restart();
      assertThat(a.awaitClose()).isEqualTo((short) 3001);
    }
    // While the client is away, more is published on the new server process.
    var node = server.node.parts();
    for (int i = 0; i < 4; i++) {
      node.broker().publish(ch, node.policy().resolve(ch), ("{\"after\":" + i + "}").getBytes(UTF_8), true, null, null, null, false)
          .toCompletionStage().toCompletableFuture().get();
    }
    try (WsClient b = client("r")) {
      JsonObject r = b.call("subscribe", new JsonObject().put("channel", ch).put("recover", true)
          .put("offset", lastSeen).put("epoch", epoch)).getJsonObject("subscribe");
      assertThat(r.getBoolean("recovered")).as("%s", r).isTrue();
      assertThat(r.getString("epoch")).isEqualTo(epoch);
      assertThat(ProtocolCommandsTest.offsets(r.getJsonArray("publications"))).containsExactly(4L, 5L, 6L, 7L);
    }
  }
}
