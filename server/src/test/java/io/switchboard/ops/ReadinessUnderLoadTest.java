package io.switchboard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testsupport.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node whose every pooled PostgreSQL connection is busy is busy, not unready: its readiness probe has a
 * connection of its own. (Through the main pool, the probe waited behind a reconnect storm's lookups and the
 * node answered 503 while it served.)
 */
class ReadinessUnderLoadTest {
  static TestServer server;
  static Vertx vertx;
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    // One pooled connection, which a locked table will hold; a statement deadline longer than the test needs.
    server = TestServer.start("postgres:\n  pool_size: 1\n  statement_timeout: 20s\n"
        + "channels:\n  namespaces:\n    chat: {history_size: 10, history_ttl: 60s}\n");
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close();
    server.close();
  }

  static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(30));
  }

  @Test
  void readyWhileThePoolIsHeldByASlowStatement() throws Exception {
    Pool own = server.db.pool(vertx, 1);
    SqlConnection locker = own.getConnection().await(10, TimeUnit.SECONDS);
    CompletableFuture<HttpResponse<String>> publish;
    try {
      locker.query("BEGIN").execute().await(10, TimeUnit.SECONDS);
      locker.query("LOCK TABLE streams IN ACCESS EXCLUSIVE MODE").execute().await(10, TimeUnit.SECONDS);
      // A publish now waits for the lock, holding the node's only pooled connection.
      publish = http.sendAsync(request("/api/publish")
          .header("Authorization", "apikey " + TestServer.API_KEY)
          .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"chat:busy\",\"data\":{\"n\":1}}")).build(),
          HttpResponse.BodyHandlers.ofString());
      Thread.sleep(500);
      assertThat(publish).isNotDone();

      HttpResponse<String> ready = http.send(request("/health/ready").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(ready.body()).getString("postgres")).isEqualTo("UP");
      assertThat(publish).isNotDone();
    } finally {
      locker.query("ROLLBACK").execute().await(10, TimeUnit.SECONDS);
      locker.close();
    }
    // The publish held up behind the lock goes through once it is released: nothing was lost to the probe.
    HttpResponse<String> published = publish.get(20, TimeUnit.SECONDS);
    assertThat(published.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(published.body()).containsKey("error")).isFalse();
    own.close();
  }
}
