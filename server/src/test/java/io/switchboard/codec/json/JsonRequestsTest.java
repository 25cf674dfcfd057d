package io.switchboard.codec.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;
import io.switchboard.model.RawJson;
import io.switchboard.model.StreamPosition;
import io.switchboard.protocol.ClientCommand;
import io.switchboard.protocol.ConnectRequest;
import io.switchboard.protocol.HistoryRequest;
import io.switchboard.protocol.PresenceRequest;
import io.switchboard.protocol.PresenceStatsRequest;
import io.switchboard.protocol.PublishRequest;
import io.switchboard.protocol.RefreshRequest;
import io.switchboard.protocol.RpcRequest;
import io.switchboard.protocol.SendRequest;
import io.switchboard.protocol.SubRefreshRequest;
import io.switchboard.protocol.SubscribeRequest;
import io.switchboard.protocol.UnsubscribeRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each command's params decode into its record, and malformed ones fail with the 107 message of old. */
class JsonRequestsTest {

  private static JsonObject json(String s) {
    return new JsonObject(s);
  }

  private static void refused(String method, String params, String message) {
    assertThatThrownBy(() -> JsonRequests.decode(method, json(params)))
        .as("%s %s", method, params)
        .isInstanceOfSatisfying(CoreException.class, e -> {
          assertThat(e.failure()).isEqualTo(Failure.BAD_REQUEST);
          assertThat(e.detail()).isEqualTo(message);
        });
  }

  @Test
  void connect() {
    assertThat(JsonRequests.decode("connect", json("{}"))).usingRecursiveComparison()
        .isEqualTo(new ConnectRequest(null, null, Map.of()));
    ConnectRequest r = (ConnectRequest) JsonRequests.decode("connect", json("""
        {"token":"t","data":{"a":[1,"x"]},"name":"js","subs":{
          "notify:#u":{"recover":true,"offset":7,"epoch":"e1"},"b":{}}}"""));
    assertThat(r.token()).isEqualTo("t");
    assertThat(r.data()).isEqualTo(bytes("{\"a\":[1,\"x\"]}"));
    assertThat(r.subs()).containsExactly(
        Map.entry("notify:#u", SubscribeRequest.recovery(true, 7, "e1")),
        Map.entry("b", SubscribeRequest.recovery(false, 0, null)));
    refused("connect", "{\"token\":5}", "token must be a string");
    refused("connect", "{\"token\":5,\"subs\":1}", "token must be a string");
    refused("connect", "{\"subs\":[]}", "subs must be an object");
    refused("connect", "{\"subs\":{\"a\":1}}", "a must be an object");
    refused("connect", "{\"subs\":{\"a\":{\"recover\":1,\"offset\":\"x\"}}}", "recover must be a boolean");
    refused("connect", "{\"subs\":{\"a\":{\"offset\":1.5}}}", "offset must be an integer");
    refused("connect", "{\"subs\":{\"a\":{\"epoch\":2}}}", "epoch must be a string");
  }

  @Test
  void subscribe() {
    assertThat(JsonRequests.decode("subscribe", json("{\"channel\":\"chat:a\"}")))
        .isEqualTo(new SubscribeRequest("chat:a", null, false, null, 0, false, false, false));
    assertThat(JsonRequests.decode("subscribe", json("""
        {"channel":"chat:a","token":"tk","recover":true,"epoch":"ep","offset":3,"positioned":true,
         "recoverable":true,"join_leave":true,"data":{"x":1}}""")))
        .isEqualTo(new SubscribeRequest("chat:a", "tk", true, "ep", 3, true, true, true));
    assertThat(JsonRequests.decode("subscribe", json("{\"channel\":\"c\",\"offset\":9223372036854775807}")))
        .isEqualTo(new SubscribeRequest("c", null, false, null, Long.MAX_VALUE, false, false, false));
    // Offsets a long cannot hold as they are would wrap to another position.
    refused("subscribe", "{\"channel\":\"c\",\"offset\":-3}", "offset out of range");
    refused("subscribe", "{\"channel\":\"c\",\"offset\":9223372036854775808}", "offset out of range");
    refused("subscribe", "{\"channel\":\"c\",\"offset\":1.5}", "offset must be an integer");
    refused("subscribe", "{}", "channel required");
    refused("subscribe", "{\"channel\":\"\"}", "channel required");
    refused("subscribe", "{\"channel\":42}", "channel must be a string");
    refused("subscribe", "{\"channel\":\"c\",\"token\":1,\"recover\":1}", "token must be a string");
    refused("subscribe", "{\"channel\":\"c\",\"recoverable\":\"y\",\"positioned\":1}", "recoverable must be a boolean");
    refused("subscribe", "{\"channel\":\"c\",\"positioned\":1,\"recover\":1}", "positioned must be a boolean");
    refused("subscribe", "{\"channel\":\"c\",\"recover\":1,\"offset\":\"x\"}", "recover must be a boolean");
    refused("subscribe", "{\"channel\":\"c\",\"offset\":\"x\",\"epoch\":1}", "offset must be an integer");
    refused("subscribe", "{\"channel\":\"c\",\"epoch\":1,\"join_leave\":1}", "epoch must be a string");
    refused("subscribe", "{\"channel\":\"c\",\"join_leave\":1}", "join_leave must be a boolean");
  }

  @Test
  void channelOnlyCommands() {
    assertThat(JsonRequests.decode("unsubscribe", json("{\"channel\":\"a\"}"))).isEqualTo(new UnsubscribeRequest("a"));
    assertThat(JsonRequests.decode("presence", json("{\"channel\":\"a\"}"))).isEqualTo(new PresenceRequest("a"));
    assertThat(JsonRequests.decode("presence_stats", json("{\"channel\":\"a\"}")))
        .isEqualTo(new PresenceStatsRequest("a"));
    for (String m : List.of("unsubscribe", "presence", "presence_stats")) {
      refused(m, "{}", "channel required");
      refused(m, "{\"channel\":true}", "channel must be a string");
    }
  }

  @Test
  void publish() {
    assertThat(JsonRequests.decode("publish", json("{\"channel\":\"a\",\"data\":{\"text\":\"hi\",\"n\":1.5}}")))
        .usingRecursiveComparison().isEqualTo(new PublishRequest("a", bytes("{\"text\":\"hi\",\"n\":1.5}")));
    assertThat(JsonRequests.decode("publish", json("{\"channel\":\"a\",\"data\":\"s\"}")))
        .usingRecursiveComparison().isEqualTo(new PublishRequest("a", bytes("\"s\"")));
    refused("publish", "{}", "channel required");
    refused("publish", "{\"data\":1}", "channel required");
    refused("publish", "{\"channel\":\"a\"}", "data required");
    refused("publish", "{\"channel\":\"a\",\"data\":null}", "data required");
  }

  @Test
  void history() {
    assertThat(JsonRequests.decode("history", json("{\"channel\":\"a\"}")))
        .isEqualTo(new HistoryRequest("a", 0, null, false));
    assertThat(JsonRequests.decode("history", json(
        "{\"channel\":\"a\",\"limit\":-1,\"reverse\":true,\"since\":{\"offset\":4,\"epoch\":\"e\"}}")))
        .isEqualTo(new HistoryRequest("a", -1, new StreamPosition(4, "e"), true));
    assertThat(JsonRequests.decode("history", json("{\"channel\":\"a\",\"since\":{}}")))
        .isEqualTo(new HistoryRequest("a", 0, new StreamPosition(0, null), false));
    refused("history", "{\"limit\":\"ten\"}", "channel required");
    refused("history", "{\"channel\":\"a\",\"limit\":\"ten\",\"reverse\":1}", "limit must be an integer");
    refused("history", "{\"channel\":\"a\",\"reverse\":1,\"since\":1}", "reverse must be a boolean");
    refused("history", "{\"channel\":\"a\",\"since\":1}", "since must be an object");
    refused("history", "{\"channel\":\"a\",\"since\":{\"offset\":\"1\",\"epoch\":1}}", "offset must be an integer");
    refused("history", "{\"channel\":\"a\",\"since\":{\"epoch\":1}}", "epoch must be a string");
  }

  @Test
  void rpcKeepsDataForTheHandlerToCheck() {
    assertThat(JsonRequests.decode("rpc", json("{}"))).usingRecursiveComparison().isEqualTo(new RpcRequest(null, null));
    assertThat(JsonRequests.decode("rpc", json("{\"method\":\"read\",\"data\":{\"channel\":\"c\",\"offset\":2}}")))
        .usingRecursiveComparison().isEqualTo(new RpcRequest("read", bytes("{\"channel\":\"c\",\"offset\":2}")));
    // Not an object: refused by RpcCommand, after an unknown method (104) would have been.
    assertThat(JsonRequests.decode("rpc", json("{\"method\":\"read\",\"data\":[1]}")))
        .usingRecursiveComparison().isEqualTo(new RpcRequest("read", bytes("[1]")));
    refused("rpc", "{\"method\":7,\"data\":1}", "method must be a string");
    // RpcCommand relies on raw object data parsing back into a JsonObject.
    assertThat(RawJson.parse("{\"a\":{\"b\":[1]}}")).isInstanceOf(JsonObject.class);
    assertThat(RawJson.parse("[1]")).isInstanceOf(JsonArray.class);
  }

  @Test
  void sendIsNeverRefused() {
    assertThat(JsonRequests.decode("send", json("{}"))).usingRecursiveComparison().isEqualTo(new SendRequest(null));
    assertThat(JsonRequests.decode("send", json("{\"data\":{\"a\":1},\"x\":[]}")))
        .usingRecursiveComparison().isEqualTo(new SendRequest(bytes("{\"a\":1}")));
  }

  @Test
  void refreshAndSubRefresh() {
    assertThat(JsonRequests.decode("refresh", json("{\"token\":\"t\"}"))).isEqualTo(new RefreshRequest("t"));
    refused("refresh", "{}", "token required");
    refused("refresh", "{\"token\":1}", "token must be a string");
    assertThat(JsonRequests.decode("sub_refresh", json("{\"channel\":\"c\",\"token\":\"t\"}")))
        .isEqualTo(new SubRefreshRequest("c", "t"));
    refused("sub_refresh", "{\"token\":1}", "channel required");
    refused("sub_refresh", "{\"channel\":\"c\"}", "token required");
    refused("sub_refresh", "{\"channel\":\"c\",\"token\":\"\"}", "token required");
  }

  @Test
  void commandKeepsTheDecodeFailure() {
    ClientCommand ok = JsonRequests.command(3, "presence", json("{\"channel\":\"a\"}"));
    assertThat(ok).isEqualTo(new ClientCommand(3, "presence", new PresenceRequest("a"), null));
    ClientCommand bad = JsonRequests.command(4, "presence", json("{}"));
    assertThat(bad.request()).isNull();
    assertThat(bad.decodeFailure().detail()).isEqualTo("channel required");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
