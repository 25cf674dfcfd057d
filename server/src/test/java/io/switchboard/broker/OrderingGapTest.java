package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.model.Publication;
import io.switchboard.testsupport.NodeTestBase;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Publications reaching a node out of order, or with a gap: delivery stays in offset order, a gap is filled
 * from PostgreSQL, and an offset the store does not have is never skipped silently.
 */
class OrderingGapTest extends NodeTestBase {

  @BeforeAll
  static void start() throws Exception {
    boot(null);
  }


  static Publication pub(String channel, String data) {
    return new Publication(channel, 0, data, null, Map.of());
  }

  /** Appends to PostgreSQL without dispatching: as if the commit's notification were still on its way. */
  List<Publication> appendSilently(String channel, int n) throws Exception {
    List<Publication> pubs = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      pubs.add(pub(channel, "{\"n\":" + i + "}"));
    }
    return server.node.parts().history().append(channel, pubs).toCompletionStage().toCompletableFuture().get().publications();
  }

  @Test
  void outOfOrderArrivalsAreDeliveredInOffsetOrder() throws Exception {
    String ch = "chat:reorder";
    try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
      c.connect(server.token("o"));
      c.subscribe(ch);
      List<Publication> stored = appendSilently(ch, 3);
      Hub hub = server.node.parts().hub();
      long now = System.currentTimeMillis();
      hub.deliver(ch, List.of(stored.get(2)), now);
      hub.deliver(ch, List.of(stored.get(0)), now);
      hub.deliver(ch, List.of(stored.get(1)), now);
      hub.deliver(ch, List.of(stored.get(1)), now); // a duplicate is dropped
      assertThat(c.nextPub(ch).getLong("offset")).isEqualTo(1L);
      assertThat(c.nextPub(ch).getLong("offset")).isEqualTo(2L);
      assertThat(c.nextPub(ch).getLong("offset")).isEqualTo(3L);
      c.expectNone(o -> o.containsKey("push") && o.getJsonObject("push").containsKey("pub"), 200);
    }
  }

  @Test
  void aGapIsFilledFromPostgres() throws Exception {
    String ch = "chat:gapfill";
    try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
      c.connect(server.token("g"));
      c.subscribe(ch);
      List<Publication> stored = appendSilently(ch, 4); // offsets 1..4 committed, none delivered yet
      server.node.parts().hub().deliver(ch, List.of(stored.get(3)), System.currentTimeMillis()); // only 4 arrives
      for (long expected = 1; expected <= 4; expected++) {
        JsonObject p = c.nextPub(ch);
        assertThat(p.getLong("offset")).isEqualTo(expected);
        assertThat(p.getJsonObject("data").getInteger("n")).isEqualTo((int) expected - 1);
      }
    }
  }

  @Test
  void anOffsetTheStoreDoesNotHaveMakesSubscribersResync() throws Exception {
    String ch = "chat:lost";
    try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
      c.connect(server.token("l"));
      c.subscribe(ch);
      // offset 2 arrives, but offset 1 exists nowhere: the subscriber is told to resubscribe and recover
      server.node.parts().hub().deliver(ch, List.of(new Publication(ch, 2, "{}", null, Map.of())), System.currentTimeMillis());
      JsonObject unsub = c.next(o -> o.containsKey("push") && o.getJsonObject("push").containsKey("unsubscribe"));
      assertThat(unsub.getJsonObject("push").getJsonObject("unsubscribe").getInteger("code")).isEqualTo(2500);
      c.expectNone(o -> o.containsKey("push") && o.getJsonObject("push").containsKey("pub"), 200);
    }
  }
}
