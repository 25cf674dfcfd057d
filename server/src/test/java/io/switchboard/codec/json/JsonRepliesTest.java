package io.switchboard.codec.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.model.ClientInfo;
import io.switchboard.model.Publication;
import io.switchboard.protocol.ConnectResult;
import io.switchboard.protocol.HistoryResult;
import io.switchboard.protocol.PresenceResult;
import io.switchboard.protocol.PresenceStatsResult;
import io.switchboard.protocol.PublishResult;
import io.switchboard.protocol.RefreshResult;
import io.switchboard.protocol.RpcResult;
import io.switchboard.protocol.SubRefreshResult;
import io.switchboard.protocol.SubscribeResult;
import io.switchboard.protocol.UnsubscribeResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each typed result encodes to the exact text the handlers built before results were typed (field order
 * included: it is the order on the wire).
 */
class JsonRepliesTest {
  private static final Publication PUB = new Publication("chat:a", 4, "{\"text\":\"hi\"}",
      new ClientInfo("u", "c1", "{\"n\":1}", null), Map.of());
  private static final String PUB_JSON =
      "{\"data\":{\"text\":\"hi\"},\"info\":{\"user\":\"u\",\"client\":\"c1\",\"conn_info\":{\"n\":1}},\"offset\":4}";

  private static SubscribeResult sub(boolean expires, long ttl, boolean recoverable, String epoch,
      List<Publication> pubs, boolean recovered, long offset, boolean positioned, boolean wasRecovering) {
    return new SubscribeResult(expires, ttl, recoverable, epoch, pubs, recovered, offset, positioned, wasRecovering);
  }

  private static String enc(io.switchboard.protocol.ClientResult r) {
    return JsonReplies.encode(r).encode();
  }

  @Test
  void emptyResults() {
    assertThat(enc(PublishResult.INSTANCE)).isEqualTo("{}");
    assertThat(enc(UnsubscribeResult.INSTANCE)).isEqualTo("{}");
    assertThat(enc(null)).isEqualTo("{}");
    assertThat(enc(SubscribeResult.EMPTY)).isEqualTo("{}");
    assertThat(enc(ConnectResult.NONE)).isEqualTo("{}");
  }

  @Test
  void connect() {
    assertThat(enc(new ConnectResult("c1", "1.2.3", false, 0, null, 25, true)))
        .isEqualTo("{\"client\":\"c1\",\"version\":\"1.2.3\",\"ping\":25,\"pong\":true}");
    Map<String, SubscribeResult> subs = new LinkedHashMap<>();
    subs.put("notify:#u", sub(false, 0, true, "ep", List.of(), false, 3, true, false));
    subs.put("plain", SubscribeResult.EMPTY);
    assertThat(enc(new ConnectResult("c1", "v", true, 60, subs, 25, true)))
        .isEqualTo("{\"client\":\"c1\",\"version\":\"v\",\"ping\":25,\"pong\":true,\"expires\":true,\"ttl\":60,"
            + "\"subs\":{\"notify:#u\":{\"recoverable\":true,\"positioned\":true,\"epoch\":\"ep\",\"offset\":3},"
            + "\"plain\":{}}}");
    // Server-side channels that all failed to resolve: the empty map is still sent.
    assertThat(enc(new ConnectResult("c1", "v", false, 0, Map.of(), 25, true)))
        .isEqualTo("{\"client\":\"c1\",\"version\":\"v\",\"ping\":25,\"pong\":true,\"subs\":{}}");
    // An emulated transport's session and the node holding it (HTTP-streaming, SSE).
    assertThat(enc(new ConnectResult("c1", "v", false, 0, null, 25, true).withSession("s1", "n1")))
        .isEqualTo("{\"client\":\"c1\",\"version\":\"v\",\"ping\":25,\"pong\":true,\"session\":\"s1\","
            + "\"node\":\"n1\"}");
  }

  @Test
  void subscribe() {
    assertThat(enc(sub(true, 30, false, null, List.of(), false, 0, false, false)))
        .isEqualTo("{\"expires\":true,\"ttl\":30}");
    assertThat(enc(sub(false, 0, false, "ep", List.of(), false, 0, true, false)))
        .isEqualTo("{\"positioned\":true,\"epoch\":\"ep\"}");
    assertThat(enc(sub(false, 0, true, "ep", List.of(), false, 9, true, true)))
        .isEqualTo("{\"recoverable\":true,\"positioned\":true,\"epoch\":\"ep\",\"was_recovering\":true,\"offset\":9}");
    assertThat(enc(sub(false, 0, true, "ep", List.of(PUB), true, 3, true, true)))
        .isEqualTo("{\"recoverable\":true,\"positioned\":true,\"epoch\":\"ep\",\"was_recovering\":true,"
            + "\"recovered\":true,\"offset\":3,\"publications\":[" + PUB_JSON + "]}");
    // Recovered from 0 with nothing missed: offset 0 is told, publications are not.
    assertThat(enc(sub(true, 5, true, "ep", List.of(), true, 0, true, true)))
        .isEqualTo("{\"expires\":true,\"ttl\":5,\"recoverable\":true,\"positioned\":true,\"epoch\":\"ep\","
            + "\"was_recovering\":true,\"recovered\":true,\"offset\":0}");
  }

  @Test
  void presenceAndStats() {
    Map<String, ClientInfo> clients = new LinkedHashMap<>();
    clients.put("c1", new ClientInfo("u", "c1", null, "{\"r\":\"m\"}"));
    assertThat(enc(new PresenceResult(clients)))
        .isEqualTo("{\"presence\":{\"c1\":{\"user\":\"u\",\"client\":\"c1\",\"chan_info\":{\"r\":\"m\"}}}}");
    assertThat(enc(new PresenceResult(Map.of()))).isEqualTo("{\"presence\":{}}");
    assertThat(enc(new PresenceStatsResult(3, 2))).isEqualTo("{\"num_clients\":3,\"num_users\":2}");
  }

  @Test
  void history() {
    assertThat(enc(new HistoryResult(List.of(PUB), "ep", 4)))
        .isEqualTo("{\"publications\":[" + PUB_JSON + "],\"epoch\":\"ep\",\"offset\":4}");
    assertThat(enc(new HistoryResult(List.of(), "ep", 0))).isEqualTo("{\"publications\":[],\"epoch\":\"ep\",\"offset\":0}");
  }

  @Test
  void rpcRefreshSubRefresh() {
    assertThat(enc(new RpcResult("{\"channels\":{\"a\":1}}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))).isEqualTo("{\"data\":{\"channels\":{\"a\":1}}}");
    assertThat(enc(new RpcResult(null))).isEqualTo("{\"data\":null}");
    assertThat(enc(new RefreshResult("c1", "v", false, 0))).isEqualTo("{\"client\":\"c1\",\"version\":\"v\"}");
    assertThat(enc(new RefreshResult("c1", "v", true, 7)))
        .isEqualTo("{\"client\":\"c1\",\"version\":\"v\",\"expires\":true,\"ttl\":7}");
    assertThat(enc(new SubRefreshResult(false, 0))).isEqualTo("{}");
    assertThat(enc(new SubRefreshResult(true, 7))).isEqualTo("{\"expires\":true,\"ttl\":7}");
  }
}
