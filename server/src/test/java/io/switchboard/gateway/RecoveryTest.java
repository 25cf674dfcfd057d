package io.switchboard.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testsupport.NodeTestBase;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Offset/epoch recovery: within the cap, epoch mismatch, over the cap, races with live publications. */
class RecoveryTest extends NodeTestBase {

  @BeforeAll
  static void start() throws Exception {
    boot("""
        client:
          recovery_max_publications: 20
        """);
  }



  void publish(String channel, int n) throws Exception {
    var node = server.node.parts();
    var ns = node.policy().resolve(channel);
    for (int i = 0; i < n; i++) {
      node.broker().publish(channel, ns, (new JsonObject().put("i", i).encode()).getBytes(UTF_8), true, null, null, null, false)
          .toCompletionStage().toCompletableFuture().get();
    }
  }

  JsonObject resubscribe(WsClient c, String channel, long offset, String epoch) throws Exception {
    JsonObject r = c.call("subscribe", new JsonObject().put("channel", channel).put("recover", true)
        .put("offset", offset).put("epoch", epoch));
    assertThat(r.containsKey("subscribe")).as("%s", r).isTrue();
    return r.getJsonObject("subscribe");
  }

  @Test
  void recoversMissedPublicationsWithinTheCap() throws Exception {
    String ch = "chat:rec-ok";
    String epoch;
    try (WsClient a = client("a")) {
      JsonObject s = a.subscribe(ch);
      epoch = s.getString("epoch");
      publish(ch, 3);
      assertThat(a.nextPub(ch).getLong("offset")).isEqualTo(1L);
    }
    publish(ch, 5); // offsets 4..8 while away
    try (WsClient b = client("a")) {
      JsonObject r = resubscribe(b, ch, 3, epoch);
      assertThat(r.getBoolean("recovered")).isTrue();
      assertThat(r.getBoolean("was_recovering")).isTrue();
      assertThat(r.getString("epoch")).isEqualTo(epoch);
      assertThat(ProtocolCommandsTest.offsets(r.getJsonArray("publications"))).containsExactly(4L, 5L, 6L, 7L, 8L);
    }
  }

  @Test
  void recoveryWithNothingMissedIsRecovered() throws Exception {
    String ch = "chat:rec-none";
    try (WsClient a = client("a")) {
      JsonObject s = a.subscribe(ch);
      publish(ch, 2);
      JsonObject r;
      try (WsClient b = client("a")) {
        r = resubscribe(b, ch, 2, s.getString("epoch"));
      }
      assertThat(r.getBoolean("recovered")).isTrue();
      assertThat(r.containsKey("publications")).isFalse();
    }
  }

  @Test
  void epochMismatchIsNotRecovered() throws Exception {
    String ch = "chat:rec-epoch";
    publish(ch, 4);
    try (WsClient b = client("a")) {
      JsonObject r = resubscribe(b, ch, 2, "some-other-epoch");
      assertThat(r.getBoolean("recovered", false)).isFalse();
      assertThat(r.getLong("offset")).isEqualTo(4L);
      assertThat(r.containsKey("publications")).isFalse();
    }
  }

  @Test
  void aGapInStoredHistoryIsNotRecoveredPartially() throws Exception {
    String ch = "chat:rec-gap";
    String epoch;
    try (WsClient a = client("a")) {
      epoch = a.subscribe(ch).getString("epoch");
    }
    publish(ch, 5);
    server.node.parts().history().removeHistory(ch).toCompletionStage().toCompletableFuture().get();
    publish(ch, 2); // offsets 6, 7 exist; 3..5 are gone
    try (WsClient b = client("a")) {
      JsonObject r = resubscribe(b, ch, 2, epoch);
      assertThat(r.getBoolean("recovered", false)).isFalse();
      assertThat(r.getString("epoch")).isEqualTo(epoch);
      assertThat(r.getLong("offset")).isEqualTo(7L);
      assertThat(r.containsKey("publications")).isFalse();
    }
  }

  @Test
  void backlogOverTheCapIsNotRecoveredAndHistoryPagesIt() throws Exception {
    String ch = "chat:rec-cap";
    String epoch;
    try (WsClient a = client("a")) {
      epoch = a.subscribe(ch).getString("epoch");
    }
    publish(ch, 25); // cap is 20
    try (WsClient b = client("a")) {
      JsonObject r = resubscribe(b, ch, 0, epoch);
      assertThat(r.getBoolean("recovered", false)).isFalse();
      assertThat(r.getLong("offset")).isEqualTo(25L);
      assertThat(r.containsKey("publications")).isFalse();
      // the client pages history instead
      List<Long> got = new ArrayList<>();
      long since = 0;
      while (true) {
        JsonObject h = b.call("history", new JsonObject().put("channel", ch).put("limit", 10)
            .put("since", new JsonObject().put("offset", since).put("epoch", epoch))).getJsonObject("history");
        JsonArray pubs = h.getJsonArray("publications");
        if (pubs.isEmpty()) {
          break;
        }
        got.addAll(ProtocolCommandsTest.offsets(pubs));
        since = got.get(got.size() - 1);
      }
      assertThat(got).hasSize(25).isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  void recoveryMergesWithLivePublicationsWithoutGapOrDuplicate() throws Exception {
    String ch = "chat:rec-race";
    var node = server.node.parts();
    var ns = node.policy().resolve(ch);
    String epoch;
    try (WsClient a = client("a")) {
      epoch = a.subscribe(ch).getString("epoch");
    }
    publish(ch, 15);
    // A resubscribe while publications keep flowing: no gap, no duplicate, reply before pushes.
    try (WsClient watcher = client("w"); WsClient b = client("a")) {
      watcher.subscribe(ch); // keeps the channel's window alive on the node
      List<Future<?>> inflight = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        inflight.add(node.broker().publish(ch, ns, ("{\"live\":" + i + "}").getBytes(UTF_8), true, null, null, null, false));
      }
      JsonObject r = resubscribe(b, ch, 10, epoch);
      assertThat(r.getBoolean("recovered")).as("%s", r).isTrue();
      Future.all(inflight).toCompletionStage().toCompletableFuture().get();
      List<Long> offsets = new ArrayList<>(ProtocolCommandsTest.offsets(
          r.getJsonArray("publications", new JsonArray())));
      while (offsets.isEmpty() || offsets.get(offsets.size() - 1) < 23) {
        offsets.add(b.nextPub(ch).getLong("offset"));
      }
      List<Long> expected = new ArrayList<>();
      for (long o = 11; o <= 23; o++) {
        expected.add(o);
      }
      assertThat(offsets).isEqualTo(expected);
      // the reply came before any push of that channel
      List<JsonObject> seen = b.seen();
      int replyAt = -1;
      int firstPush = Integer.MAX_VALUE;
      for (int i = 0; i < seen.size(); i++) {
        JsonObject o = seen.get(i);
        if (o.containsKey("subscribe") && replyAt < 0) {
          replyAt = i;
        }
        if (o.containsKey("push") && ch.equals(o.getJsonObject("push").getString("channel")) && firstPush == Integer.MAX_VALUE) {
          firstPush = i;
        }
      }
      assertThat(replyAt).isLessThan(firstPush);
    }
  }
}
