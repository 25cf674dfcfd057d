package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testsupport.NodeTestBase;
import io.switchboard.testsupport.TestServer;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code payload.max_depth} and {@code payload.max_bytes} on every path that takes data: a client's publish and
 * RPC, the API's publish, broadcast, batch and notify. Over a limit is 107 and nothing is stored; at the limit
 * is accepted. The 998-deep data of issue 12 fits a 64 KiB message and Jackson's parser, so it reached the
 * store before.
 */
class PayloadLimitsTest extends NodeTestBase {
  private static final String DEEP = nested(998);

  @BeforeAll
  static void start() throws Exception {
    boot("""
        payload:
          max_depth: 64
          max_bytes: 2048
        """);
  }

  /** JSON text nesting {@code depth} arrays: {@code [[…[1]…]]}. */
  private static String nested(int depth) {
    return "[".repeat(depth) + "1" + "]".repeat(depth);
  }

  private static int code(JsonObject reply) {
    JsonObject error = reply.getJsonObject("error");
    return error == null ? 0 : error.getInteger("code");
  }

  @Test
  void aClientsDeepPublicationIsRefusedAndNotStored() throws Exception {
    try (WsClient c = client("deep")) {
      c.subscribe("chat:deep");
      c.sendRaw("{\"id\":100,\"publish\":{\"channel\":\"chat:deep\",\"data\":" + DEEP + "}}");
      JsonObject r = c.reply(100);
      assertThat(code(r)).as("%s", r).isEqualTo(107);
      assertThat(r.getJsonObject("error").getString("message")).contains("deeper than 64");
      c.sendRaw("{\"id\":101,\"publish\":{\"channel\":\"chat:deep\",\"data\":" + nested(65) + "}}");
      assertThat(code(c.reply(101))).isEqualTo(107);
      c.sendRaw("{\"id\":102,\"publish\":{\"channel\":\"chat:deep\",\"data\":" + nested(64) + "}}");
      assertThat(code(c.reply(102))).isZero();
      c.sendRaw("{\"id\":103,\"publish\":{\"channel\":\"chat:deep\",\"data\":\"" + "x".repeat(2100) + "\"}}");
      assertThat(code(c.reply(103))).isEqualTo(107);
      JsonObject h = c.call("history", new JsonObject().put("channel", "chat:deep").put("limit", 10));
      JsonArray pubs = h.getJsonObject("history").getJsonArray("publications");
      assertThat(pubs).hasSize(1); // only the 64-deep one
      assertThat(c.isClosed()).isFalse();
    }
  }

  @Test
  void aClientsDeepRpcDataIsRefused() throws Exception {
    try (WsClient c = client("rpc")) {
      // 900: within what the server parses at all once wrapped in the command (1000 levels).
      c.sendRaw("{\"id\":200,\"rpc\":{\"method\":\"unread\",\"data\":{\"x\":" + nested(900) + "}}}");
      assertThat(code(c.reply(200))).isEqualTo(107);
    }
  }

  @Test
  void theApiRefusesDeepDataOnEveryPath() throws Exception {
    assertThat(apiError("publish", "{\"channel\":\"chat:api\",\"data\":" + DEEP + "}")).isEqualTo(107);
    String broadcast = api("broadcast", "{\"channels\":[\"chat:api\"],\"data\":" + DEEP + "}");
    assertThat(new JsonObject(broadcast).getJsonObject("result").getJsonArray("responses").getJsonObject(0)
        .getJsonObject("error").getInteger("code")).isEqualTo(107);
    // Two levels deeper in a batch: 900 keeps the body within what the API parses at all (1000).
    String batch = api("batch", "{\"commands\":[{\"publish\":{\"channel\":\"chat:api\",\"data\":" + nested(900)
        + "}}]}");
    assertThat(new JsonObject(batch).getJsonObject("result").getJsonArray("replies").getJsonObject(0)
        .getJsonObject("error").getInteger("code")).isEqualTo(107);
    assertThat(apiError("notify", "{\"users\":[\"u1\"],\"data\":" + DEEP + "}")).isEqualTo(107);
    String b64 = java.util.Base64.getEncoder().encodeToString(DEEP.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(apiError("publish", "{\"channel\":\"chat:api\",\"b64data\":\"" + b64 + "\"}")).isEqualTo(107);
    JsonObject history = new JsonObject(api("history", "{\"channel\":\"chat:api\",\"limit\":10}"));
    assertThat(history.getJsonObject("result").getJsonArray("publications")).isEmpty();
    JsonObject inbox = new JsonObject(api("history", "{\"channel\":\"notify:#u1\",\"limit\":10}"));
    assertThat(inbox.getJsonObject("result").getJsonArray("publications", new JsonArray())).isEmpty();
  }

  private static int apiError(String method, String body) throws Exception {
    JsonObject r = new JsonObject(api(method, body));
    assertThat(r.containsKey("error")).as("%s", r).isTrue();
    return r.getJsonObject("error").getInteger("code");
  }

  private static String api(String method, String body) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
            + "/api/" + method)).timeout(Duration.ofSeconds(10)).header("X-API-Key", TestServer.API_KEY)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }
}
