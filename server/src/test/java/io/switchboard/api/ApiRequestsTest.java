package io.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testsupport.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP side of the server API on a real node: keys, unknown methods, bad bodies, size limit, verbs. */
class ApiRequestsTest {
  static TestServer server;
  static ApiClient api;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start("""
        http:
          max_api_body_bytes: 4096
        """);
    api = new ApiClient(server.port());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void bothKeyHeadersAreAccepted() throws Exception {
    HttpResponse<String> xApiKey = api.post("info", "{}", "X-API-Key", TestServer.API_KEY);
    HttpResponse<String> authorization = api.post("info", "{}", "Authorization", "apikey " + TestServer.API_KEY);
    assertThat(xApiKey.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(xApiKey.body()).containsKey("result")).isTrue();
    assertThat(authorization.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(authorization.body()).containsKey("result")).isTrue();
  }

  @Test
  void missingOrWrongKeyIs401() throws Exception {
    assertThat(api.post("info", "{}").statusCode()).isEqualTo(401);
    assertThat(api.post("info", "{}", "X-API-Key", "wrong-key").statusCode()).isEqualTo(401);
    assertThat(api.post("info", "{}", "Authorization", "apikey wrong-key").statusCode()).isEqualTo(401);
    assertThat(api.post("info", "{}", "Authorization", "Bearer " + TestServer.API_KEY).statusCode()).isEqualTo(401);
    // The key is checked before the method is looked up: an unknown method tells nothing to a stranger.
    assertThat(api.post("nope", "{}").statusCode()).isEqualTo(401);
  }

  @Test
  void unknownMethodIs404WithError104() throws Exception {
    HttpResponse<String> r = api.post("nope", "{}", "X-API-Key", TestServer.API_KEY);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(r.body())).isEqualTo(new JsonObject()
        .put("error", new JsonObject().put("code", 104).put("message", "method not found")));
  }

  @Test
  void malformedJsonOrWrongTypesAre107In200() throws Exception {
    for (String body : new String[] {"{not json", "[1,2]", "\"text\"", "{\"channel\":5,\"data\":{}}",
        "{\"channel\":\"news\"}", "{\"channel\":\"news\",\"data\":{},\"tags\":{\"a\":1}}"}) {
      HttpResponse<String> r = api.post("publish", body, "X-API-Key", TestServer.API_KEY);
      assertThat(r.statusCode()).as(body).isEqualTo(200);
      JsonObject error = new JsonObject(r.body()).getJsonObject("error");
      assertThat(error.getInteger("code")).as(body).isEqualTo(107);
      assertThat(error.getString("message")).as(body).startsWith("bad request");
    }
  }

  @Test
  void emptyBodyIsAnEmptyParamsObject() throws Exception {
    HttpResponse<String> r = api.post("info", "", "X-API-Key", TestServer.API_KEY);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getJsonObject("result").getJsonArray("nodes")).hasSize(1);
  }

  @Test
  void bodyOverTheLimitIs413() throws Exception {
    String big = new JsonObject().put("channel", "news").put("data", "x".repeat(5000)).encode();
    HttpResponse<String> r = api.post("publish", big, "X-API-Key", TestServer.API_KEY);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("at io.");
    // Just under the limit is fine.
    String ok = new JsonObject().put("channel", "news").put("data", "x".repeat(3900)).encode();
    assertThat(api.post("publish", ok, "X-API-Key", TestServer.API_KEY).statusCode()).isEqualTo(200);
  }

  @Test
  void otherHttpMethodsAre405() throws Exception {
    HttpResponse<String> r = api.get("/api/publish");
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void apiCallsAreCountedInMetrics() throws Exception {
    api.result("info", new JsonObject());
    api.post("nope", "{}", "X-API-Key", TestServer.API_KEY);
    String metrics = api.get("/metrics").body();
    assertThat(metrics).containsPattern("switchboard_api_requests_total\\{[^}]*method=\"info\"[^}]*result=\"ok\"");
    assertThat(metrics).containsPattern("switchboard_api_requests_total\\{[^}]*method=\"unknown\"[^}]*result=\"error_104\"");
  }
}
