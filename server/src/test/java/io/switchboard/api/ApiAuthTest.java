package io.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The key check in isolation, for what a test node can't show: with {@code api.key} empty (the default) the
 * API is disabled, even for a request that presents an empty key. (Test nodes always get a key from the
 * environment, which overrides the YAML.) Every 401 is a JSON error that says why: no key on the server, or a
 * missing or wrong key in the request.
 */
class ApiAuthTest {
  static Vertx vertx;
  static HttpServer server;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.post("/api/:method").handler(new ApiAuth("")).handler(ctx -> ctx.response().end("{}"));
    router.post("/keyed/:method").handler(new ApiAuth("the-key-0123456789")).handler(ctx -> ctx.response().end("{}"));
    server = vertx.createHttpServer().requestHandler(router).listen(0).await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  static final String DISABLED =
      "unauthorized: the server API is disabled: set SWITCHBOARD_API_KEY (api.key) on the server";
  static final String WRONG_KEY =
      "unauthorized: missing or wrong API key (X-API-Key or Authorization: apikey <key>)";

  @Test
  void emptyConfiguredKeyDisablesTheApi() throws Exception {
    ApiClient api = new ApiClient(server.actualPort());
    assertUnauthorized(api.post("info", "{}"), DISABLED);
    assertUnauthorized(api.post("info", "{}", "X-API-Key", ""), DISABLED);
    assertUnauthorized(api.post("info", "{}", "Authorization", "apikey "), DISABLED);
    assertUnauthorized(api.post("info", "{}", "X-API-Key", "anything"), DISABLED);
  }

  @Test
  void keyMustMatchExactly() throws Exception {
    ApiClient api = new ApiClient(server.actualPort());
    assertThat(api.postTo("/keyed/x", "{}", "X-API-Key", "the-key-0123456789").statusCode()).isEqualTo(200);
    assertThat(api.postTo("/keyed/x", "{}", "Authorization", "ApiKey the-key-0123456789").statusCode()).isEqualTo(200);
    assertUnauthorized(api.postTo("/keyed/x", "{}", "X-API-Key", "the-key-012345678"), WRONG_KEY);
    assertUnauthorized(api.postTo("/keyed/x", "{}", "X-API-Key", "the-key-01234567890"), WRONG_KEY);
    assertUnauthorized(api.postTo("/keyed/x", "{}"), WRONG_KEY);
    assertUnauthorized(api.postTo("/keyed/x", "{}", "Authorization", "Bearer the-key-0123456789"), WRONG_KEY);
  }

  /** HTTP 401 with {@code {"error":{"code":101,"message":...}}} as application/json. */
  private static void assertUnauthorized(HttpResponse<String> r, String message) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonObject error = new JsonObject(r.body()).getJsonObject("error");
    assertThat(error).as(r.body()).isNotNull();
    assertThat(error.getInteger("code")).isEqualTo(101);
    assertThat(error.getString("message")).isEqualTo(message);
    assertThat(new JsonObject(r.body()).fieldNames()).containsExactly("error");
  }
}
