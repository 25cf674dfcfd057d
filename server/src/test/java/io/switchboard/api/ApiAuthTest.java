package io.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The key check in isolation, for what a test node can't show: with {@code api.key} empty (the default) the
 * API is disabled, even for a request that presents an empty key. (Test nodes always get a key from the
 * environment, which overrides the YAML.)
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

  @Test
  void emptyConfiguredKeyDisablesTheApi() throws Exception {
    ApiClient api = new ApiClient(server.actualPort());
    assertThat(api.post("info", "{}").statusCode()).isEqualTo(401);
    assertThat(api.post("info", "{}", "X-API-Key", "").statusCode()).isEqualTo(401);
    assertThat(api.post("info", "{}", "Authorization", "apikey ").statusCode()).isEqualTo(401);
    assertThat(api.post("info", "{}", "X-API-Key", "anything").statusCode()).isEqualTo(401);
  }

  @Test
  void keyMustMatchExactly() throws Exception {
    ApiClient api = new ApiClient(server.actualPort());
    assertThat(api.postTo("/keyed/x", "{}", "X-API-Key", "the-key-0123456789").statusCode()).isEqualTo(200);
    assertThat(api.postTo("/keyed/x", "{}", "Authorization", "ApiKey the-key-0123456789").statusCode()).isEqualTo(200);
    assertThat(api.postTo("/keyed/x", "{}", "X-API-Key", "the-key-012345678").statusCode()).isEqualTo(401);
    assertThat(api.postTo("/keyed/x", "{}", "X-API-Key", "the-key-01234567890").statusCode()).isEqualTo(401);
  }
}
