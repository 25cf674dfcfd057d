package io.switchboard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testsupport.TestServer;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Health and Prometheus metrics of a real node, after real traffic. */
class OpsRoutesTest {
  static TestServer server;
  static Vertx vertx;
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(null);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close();
    server.close();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void liveIsAlwaysUp() throws Exception {
    HttpResponse<String> r = get("/health/live");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getString("status")).isEqualTo("UP");
  }

  @Test
  void readyNeedsPostgresAndNotDraining() throws Exception {
    HttpResponse<String> r = get("/health/ready");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("status")).isEqualTo("UP");
    assertThat(body.getString("postgres")).isEqualTo("UP");
    assertThat(body.getString("migrations")).isEqualTo("UP");

    server.node.parts().status().setDraining(true);
    try {
      HttpResponse<String> draining = get("/health/ready");
      assertThat(draining.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(draining.body()).getString("status")).isEqualTo("DOWN");
      assertThat(new JsonObject(draining.body()).getBoolean("draining")).isTrue();
    } finally {
      server.node.parts().status().setDraining(false);
    }
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void metricsAfterTraffic() throws Exception {
    try (WsClient c = WsClient.open(vertx, server.wsUrl())) {
      c.connect(server.token("metrics-user"));
      c.subscribe("chat:metrics");
      c.call("publish", new JsonObject().put("channel", "chat:metrics").put("data", 1));
      c.nextPub("chat:metrics");
      // Something on the default worker pool, so that its queue time has a sample.
      server.node.vertx().executeBlocking(() -> 1).await(10, TimeUnit.SECONDS);

      HttpResponse<String> r = get("/metrics");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
      List<Sample> m = Sample.parse(r.body());

      assertThat(value(m, "switchboard_connections", Map.of())).isGreaterThanOrEqualTo(1);
      // The personal channel and chat:metrics.
      assertThat(value(m, "switchboard_subscriptions", Map.of())).isGreaterThanOrEqualTo(2);
      assertThat(value(m, "switchboard_commands_total", Map.of("method", "publish", "result", "ok"))).isEqualTo(1);
      assertThat(value(m, "switchboard_publications_total", Map.of())).isGreaterThanOrEqualTo(1);
      assertThat(value(m, "switchboard_deliveries_total", Map.of())).isGreaterThanOrEqualTo(1);
      assertThat(value(m, "switchboard_publish_to_delivery_ms_bucket", Map.of("le", "+Inf"))).isGreaterThanOrEqualTo(1);
      assertThat(value(m, "switchboard_publish_to_delivery_ms_bucket", Map.of("le", "100.0"))).isNotNegative();
      assertThat(value(m, "switchboard_event_loop_lag_seconds_count", Map.of())).isGreaterThanOrEqualTo(1);
      assertThat(value(m, "switchboard_event_loop_lag_seconds_bucket", Map.of("le", "0.005"))).isNotNegative();

      // Vert.x's own pool meters: worker pools (the default one and the migrations pool) and the PG pool.
      Map<String, String> defaultWorkers = Map.of("pool_type", "worker", "pool_name", "vert.x-worker-thread");
      assertThat(value(m, "vertx_pool_queue_time_seconds_count", defaultWorkers)).isGreaterThanOrEqualTo(1);
      assertThat(value(m, "vertx_pool_queue_pending", defaultWorkers)).isNotNegative();
      Map<String, String> migrations = Map.of("pool_type", "worker", "pool_name", "switchboard-migrations");
      assertThat(value(m, "vertx_pool_queue_time_seconds_count", migrations)).isGreaterThanOrEqualTo(1);
      Map<String, String> pg = Map.of("pool_type", "sql", "pool_name", "switchboard-pg");
      assertThat(value(m, "vertx_pool_in_use", pg)).isNotNegative();
      assertThat(value(m, "vertx_pool_queue_time_seconds_count", pg)).isGreaterThanOrEqualTo(1);
      assertThat(value(m, "vertx_pool_usage_seconds_count", pg)).isGreaterThanOrEqualTo(1);
      assertThat(value(m, "vertx_sql_processing_time_seconds_count", Map.of())).isGreaterThanOrEqualTo(1);
    }
  }

  /** The value of the one series of {@code name} having (at least) {@code labels}. */
  static double value(List<Sample> samples, String name, Map<String, String> labels) {
    List<Sample> found = samples.stream()
        .filter(s -> s.name.equals(name) && s.labels.entrySet().containsAll(labels.entrySet())).toList();
    assertThat(found).as("series %s%s", name, labels).hasSize(1);
    return found.get(0).value;
  }

  /** One line of the Prometheus text format: {@code name{k="v",...} value}. */
  record Sample(String name, Map<String, String> labels, double value) {
    static List<Sample> parse(String text) {
      List<Sample> out = new ArrayList<>();
      for (String line : text.split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int space = line.lastIndexOf(' ');
        String series = line.substring(0, space);
        double value = Double.parseDouble(line.substring(space + 1));
        int brace = series.indexOf('{');
        if (brace < 0) {
          out.add(new Sample(series, Map.of(), value));
          continue;
        }
        Map<String, String> labels = new java.util.HashMap<>();
        // Label values here never contain '",' so a plain split is enough.
        for (String pair : series.substring(brace + 1, series.length() - 1).split("\",")) {
          int eq = pair.indexOf('=');
          if (eq > 0) {
            labels.put(pair.substring(0, eq), pair.substring(eq + 2).replaceAll("\"$", ""));
          }
        }
        out.add(new Sample(series.substring(0, brace), labels, value));
      }
      return out;
    }
  }
}
