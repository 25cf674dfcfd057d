package io.switchboard.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testsupport.Http;
import io.switchboard.testsupport.NodeTestBase;
import io.switchboard.testsupport.TestServer;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The notification inbox over real WebSockets, real HTTP and real PostgreSQL: recovery of what an offline user
 * missed (within the cap, and by paging beyond it), the notifications.* RPCs, and read state across devices.
 * Each test uses its own users.
 */
class InboxTest extends NodeTestBase {
  static final int RECOVERY_CAP = 20;

  @BeforeAll
  static void start() throws Exception {
    boot("""
        client:
          recovery_max_publications: %d
          allow_anonymous: true
        """.formatted(RECOVERY_CAP));
  }

  /** {@code n} notifications to {@code user} through the server API, one call each (offsets in order). */
  static void notify(String user, int n) throws Exception {
    for (int i = 1; i <= n; i++) {
      JsonObject r = Http.postApi("http://127.0.0.1:" + server.port() + "/api/notify", TestServer.API_KEY,
          new JsonObject().put("users", new JsonArray().add(user)).put("data", new JsonObject().put("n", i)));
      assertThat(r.getJsonObject("result").getJsonObject("results").getJsonObject(user).containsKey("offset"))
          .as("%s", r).isTrue();
    }
  }

  static JsonObject rpc(WsClient c, String method, JsonObject data) throws Exception {
    JsonObject r = c.call("rpc", new JsonObject().put("method", method).put("data", data));
    assertThat(r.containsKey("rpc")).as("%s -> %s", method, r).isTrue();
    return r.getJsonObject("rpc").getJsonObject("data");
  }

  static int rpcError(WsClient c, String method, JsonObject data) throws Exception {
    JsonObject r = c.call("rpc", new JsonObject().put("method", method).put("data", data));
    assertThat(r.containsKey("error")).as("%s -> %s", method, r).isTrue();
    return r.getJsonObject("error").getInteger("code");
  }

  static List<Long> offsets(JsonArray items) {
    return items.stream().map(o -> ((JsonObject) o).getLong("offset")).toList();
  }

  static JsonObject reconnect(WsClient c, String user, long offset, String epoch) throws Exception {
    JsonObject r = c.call("connect", new JsonObject().put("token", server.token(user)).put("subs",
        new JsonObject().put("notify:#" + user,
            new JsonObject().put("recover", true).put("offset", offset).put("epoch", epoch))));
    assertThat(r.containsKey("connect")).as("%s", r).isTrue();
    return r.getJsonObject("connect").getJsonObject("subs").getJsonObject("notify:#" + user);
  }

  @Test
  void anOfflineUserRecoversEveryMissedNotificationWithinTheCap() throws Exception {
    String user = "inbox-rec";
    JsonObject sub;
    try (WsClient c = client(user)) {
      notify(user, 2);
      assertThat(c.nextPub("notify:#" + user).getLong("offset")).isEqualTo(1L);
      assertThat(c.nextPub("notify:#" + user).getLong("offset")).isEqualTo(2L);
      sub = c.seen().get(0).getJsonObject("connect").getJsonObject("subs").getJsonObject("notify:#" + user);
    }
    notify(user, RECOVERY_CAP); // offsets 3..22 while away: exactly the cap
    try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
      JsonObject r = reconnect(c, user, 2, sub.getString("epoch"));
      assertThat(r.getBoolean("recovered")).as("%s", r).isTrue();
      assertThat(offsets(r.getJsonArray("publications"))).containsExactlyElementsOf(LongStream.rangeClosed(3, 22).boxed().toList());
      assertThat(r.getJsonArray("publications").getJsonObject(19).getJsonObject("data").getInteger("n")).isEqualTo(RECOVERY_CAP);
      notify(user, 1); // and the live stream goes on with no gap
      assertThat(c.nextPub("notify:#" + user).getLong("offset")).isEqualTo(23L);
    }
  }

  @Test
  void beyondTheCapTheClientPagesHistoryAndTheInbox() throws Exception {
    String user = "inbox-page";
    String ch = "notify:#" + user;
    String epoch;
    try (WsClient c = client(user)) {
      epoch = c.seen().get(0).getJsonObject("connect").getJsonObject("subs").getJsonObject(ch).getString("epoch");
    }
    int missed = 2 * RECOVERY_CAP + 15; // 55, more than the cap
    notify(user, missed);
    try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
      JsonObject r = reconnect(c, user, 0, epoch);
      assertThat(r.getBoolean("recovered", false)).as("%s", r).isFalse();
      assertThat(r.getLong("offset")).isEqualTo((long) missed);
      assertThat(r.containsKey("publications") && !r.getJsonArray("publications").isEmpty()).isFalse();

      // Paging forward through history, as the SDK does after recovered:false.
      List<Long> forward = new ArrayList<>();
      long since = 0;
      while (true) {
        JsonObject h = c.call("history", new JsonObject().put("channel", ch).put("limit", 20)
            .put("since", new JsonObject().put("offset", since).put("epoch", epoch))).getJsonObject("history");
        List<Long> page = offsets(h.getJsonArray("publications"));
        if (page.isEmpty()) {
          break;
        }
        forward.addAll(page);
        since = page.get(page.size() - 1);
      }
      assertThat(forward).containsExactlyElementsOf(LongStream.rangeClosed(1, missed).boxed().toList());

      // Paging back through the inbox, newest first, with notifications.list.
      List<Long> back = new ArrayList<>();
      JsonObject page = rpc(c, "notifications.list", new JsonObject().put("limit", 20));
      assertThat(page.getLong("top")).isEqualTo((long) missed);
      assertThat(page.getLong("read_offset")).isZero();
      assertThat(page.getString("epoch")).isEqualTo(epoch);
      while (!page.getJsonArray("notifications").isEmpty()) {
        JsonArray items = page.getJsonArray("notifications");
        assertThat(items.size()).isLessThanOrEqualTo(20);
        for (Object o : items) {
          JsonObject it = (JsonObject) o;
          assertThat(it.getBoolean("read")).isFalse();
          assertThat(it.getJsonObject("data").getLong("n")).isEqualTo(it.getLong("offset"));
          assertThat(it.getLong("time")).isPositive();
        }
        back.addAll(offsets(items));
        long before = back.get(back.size() - 1);
        page = rpc(c, "notifications.list", new JsonObject().put("limit", 20).put("before", before));
      }
      assertThat(back).containsExactlyElementsOf(LongStream.rangeClosed(1, missed).map(i -> missed + 1 - i).boxed().toList());
    }
  }

  @Test
  void listDefaultsCapsAndValidates() throws Exception {
    String user = "inbox-limits";
    try (WsClient c = client(user)) {
      JsonObject empty = rpc(c, "notifications.list", new JsonObject());
      assertThat(empty.getJsonArray("notifications")).isEmpty();
      assertThat(empty.getLong("top")).isZero();
      notify(user, 105);
      assertThat(rpc(c, "notifications.list", new JsonObject()).getJsonArray("notifications")).hasSize(20);
      JsonObject capped = rpc(c, "notifications.list", new JsonObject().put("limit", 1000));
      assertThat(offsets(capped.getJsonArray("notifications"))).hasSize(100).startsWith(105L, 104L).endsWith(6L);
      assertThat(rpcError(c, "notifications.list", new JsonObject().put("limit", 0))).isEqualTo(107);
      assertThat(rpcError(c, "notifications.list", new JsonObject().put("limit", "ten"))).isEqualTo(107);
      assertThat(rpcError(c, "notifications.list", new JsonObject().put("before", -1))).isEqualTo(107);
      assertThat(rpcError(c, "notifications.list", new JsonObject().put("before", 1.5))).isEqualTo(107);
      assertThat(rpcError(c, "notifications.read", new JsonObject())).isEqualTo(107);
      assertThat(rpcError(c, "notifications.read", new JsonObject().put("offset", 1).put("offsets", new JsonArray().add(2))))
          .isEqualTo(107);
      assertThat(rpcError(c, "notifications.read", new JsonObject().put("offsets", new JsonArray()))).isEqualTo(107);
      assertThat(rpcError(c, "notifications.read", new JsonObject().put("offsets", new JsonArray().add("x")))).isEqualTo(107);
      assertThat(rpcError(c, "notifications.read", new JsonObject().put("offset", -3))).isEqualTo(107);
      JsonArray tooMany = new JsonArray();
      LongStream.rangeClosed(1, 1001).forEach(tooMany::add);
      assertThat(rpcError(c, "notifications.read", new JsonObject().put("offsets", tooMany))).isEqualTo(106);
    }
  }

  @Test
  void anonymousUsersHaveNoInbox() throws Exception {
    try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
      assertThat(c.call("connect", new JsonObject()).containsKey("connect")).isTrue();
      assertThat(rpcError(c, "notifications.list", new JsonObject())).isEqualTo(103);
      assertThat(rpcError(c, "notifications.read", new JsonObject().put("offset", 1))).isEqualTo(103);
      assertThat(rpcError(c, "notifications.unread", new JsonObject())).isEqualTo(103);
    }
  }

  @Test
  void readStateSyncsAcrossTheUsersConnections() throws Exception {
    String user = "inbox-sync";
    try (WsClient phone = client(user); WsClient laptop = client(user); WsClient other = client("inbox-sync-other")) {
      notify(user, 6);
      for (int i = 1; i <= 6; i++) {
        assertThat(laptop.nextPub("notify:#" + user).getLong("offset")).isEqualTo(i);
      }
      assertThat(rpc(laptop, "notifications.unread", new JsonObject()).getLong("count")).isEqualTo(6L);

      // Up to an offset, on the phone: the laptop's badge follows at once, and the phone itself is not told.
      JsonObject r = rpc(phone, "notifications.read", new JsonObject().put("offset", 3));
      assertThat(r).isEqualTo(new JsonObject().put("read_offset", 3L).put("unread", 3L));
      JsonObject msg = laptop.next(o -> o.containsKey("push") && o.getJsonObject("push").containsKey("message"))
          .getJsonObject("push").getJsonObject("message").getJsonObject("data");
      assertThat(msg).isEqualTo(new JsonObject().put("type", "notifications.read").put("read_offset", 3L).put("unread", 3L));
      assertThat(rpc(laptop, "notifications.unread", new JsonObject()).getLong("count")).isEqualTo(3L);

      // One by one (5, and 2 which is read already, and 99 which does not exist), on the laptop.
      r = rpc(laptop, "notifications.read", new JsonObject().put("offsets", new JsonArray().add(5).add(2).add(99)));
      assertThat(r).isEqualTo(new JsonObject().put("read_offset", 3L).put("unread", 2L));
      msg = phone.next(o -> o.containsKey("push") && o.getJsonObject("push").containsKey("message"))
          .getJsonObject("push").getJsonObject("message").getJsonObject("data");
      assertThat(msg.getString("type")).isEqualTo("notifications.read");
      assertThat(msg.getLong("unread")).isEqualTo(2L);
      assertThat(msg.getJsonArray("offsets").stream().map(o -> ((Number) o).longValue()).toList())
          .containsExactly(5L, 2L, 99L);
      assertThat(rpc(phone, "notifications.unread", new JsonObject()))
          .isEqualTo(new JsonObject().put("count", 2L).put("read_offset", 3L));
      JsonArray items = rpc(phone, "notifications.list", new JsonObject()).getJsonArray("notifications");
      assertThat(items.stream().map(o -> ((JsonObject) o).getBoolean("read")).toList())
          .containsExactly(false, true, false, true, true, true); // 6..1

      // A watermark past the top stops at the top (a later notification is unread), and never moves back.
      r = rpc(phone, "notifications.read", new JsonObject().put("offset", 1_000));
      assertThat(r).isEqualTo(new JsonObject().put("read_offset", 6L).put("unread", 0L));
      r = rpc(phone, "notifications.read", new JsonObject().put("offset", 1));
      assertThat(r).isEqualTo(new JsonObject().put("read_offset", 6L).put("unread", 0L));
      notify(user, 1);
      assertThat(rpc(laptop, "notifications.unread", new JsonObject()).getLong("count")).isEqualTo(1L);

      // Nobody else hears of it.
      other.expectNone(o -> o.containsKey("push") && o.getJsonObject("push").containsKey("message"), 200);
    }
  }

  @Test
  void theReadRpcAndTheInboxShareOneWatermark() throws Exception {
    String user = "inbox-shared";
    try (WsClient c = client(user)) {
      notify(user, 4);
      JsonObject r = c.call("rpc", new JsonObject().put("method", "read")
          .put("data", new JsonObject().put("channel", "notify:#" + user).put("offset", 2)));
      assertThat(r.containsKey("rpc")).as("%s", r).isTrue();
      assertThat(rpc(c, "notifications.unread", new JsonObject()))
          .isEqualTo(new JsonObject().put("count", 2L).put("read_offset", 2L));
    }
  }
}
