package io.switchboard.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The fanout scenario against {@link FakeServer}: real sockets, real API calls, real reports, in seconds. */
class EndToEndTest {
  private Vertx vertx;
  private FakeServer server;
  private int port;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = new FakeServer(vertx);
    port = server.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private JsonObject fanout(Path dir, String protocol) throws Exception {
    return fanout(dir, protocol, "vertx");
  }

  private JsonObject fanout(Path dir, String protocol, String wsClient) throws Exception {
    Path json = dir.resolve("fanout.json");
    ArgumentsTest.Outcome o = ArgumentsTest.run("fanout", "--url", "ws://127.0.0.1:" + port + "/connection/websocket",
        "--api", "http://127.0.0.1:" + port + "/api", "--api-key", "k", "--token-secret", "test-secret-test-secret-1234",
        "-n", "20", "--rate", "20", "--duration", "1s", "--warmup", "0s", "--drain", "500ms", "--event-loops", "2",
        "--protocol", protocol, "--ws-client", wsClient, "--quiet", "--json", json.toString());
    assertThat(o.code()).as(o.err()).isZero();
    return new JsonObject(Files.readString(json));
  }

  /** Every protocol is checked the same way: the fake server's three misdeliveries are found in each. */
  private static void assertDeliveriesAndMisdeliveries(JsonObject r) {
    assertThat(r.getJsonObject("connections").getLong("ok")).isEqualTo(20);
    assertThat(r.getJsonObject("connections").getLong("failed")).isZero();
    long acked = r.getJsonObject("publications").getLong("acked");
    assertThat(acked).isGreaterThanOrEqualTo(10);
    assertThat(r.getJsonObject("deliveries").getLong("total")).isEqualTo(acked * 20);
    assertThat(r.getLong("lost")).isEqualTo(1);
    assertThat(r.getLong("duplicated")).isEqualTo(1);
    assertThat(r.getLong("out_of_order")).isEqualTo(1);
    assertThat(r.getJsonObject("latency_ms").getLong("count")).isEqualTo(acked * 20);
    assertThat(r.getLong("errors")).isZero();
  }

  @Test
  @Timeout(60)
  void overProtobufEveryDeliveryIsCheckedAsInJson(@TempDir Path dir) throws Exception {
    JsonObject r = fanout(dir, "protobuf");
    assertThat(r.getJsonObject("params").getString("protocol")).isEqualTo("protobuf");
    assertThat(r.getJsonObject("connections").getLong("ok_protobuf")).isEqualTo(20);
    assertDeliveriesAndMisdeliveries(r);
    assertThat(server.pongs.get()).as("each client answered the ping in its connect reply's message").isEqualTo(20);
  }

  @Test
  @Timeout(60)
  void theLeanClientReadsAndWritesWhatVertxsDoes(@TempDir Path dir) throws Exception {
    JsonObject r = fanout(dir, "mixed", "lean");
    assertThat(r.getJsonObject("connections").getLong("ok_protobuf")).isEqualTo(10);
    assertDeliveriesAndMisdeliveries(r);
    assertThat(server.pongs.get()).as("its masked frames reach the server whole").isEqualTo(10);
  }

  @Test
  @Timeout(60)
  void mixedIsHalfJsonHalfProtobufOnOneChannel(@TempDir Path dir) throws Exception {
    JsonObject r = fanout(dir, "mixed");
    assertThat(r.getJsonObject("params").getString("protocol")).isEqualTo("mixed");
    assertThat(r.getJsonObject("connections").getLong("ok_protobuf")).isEqualTo(10);
    assertDeliveriesAndMisdeliveries(r);
    assertThat(server.pongs.get()).isEqualTo(10);
  }

  @Test
  @Timeout(60)
  void fanoutReportsDeliveriesLatencyAndEveryMisdelivery(@TempDir Path dir) throws Exception {
    JsonObject r = fanout(dir, "json");
    Path json = dir.resolve("fanout.json");
    assertThat(r.getString("scenario")).isEqualTo("fanout");
    assertThat(r.getJsonObject("params").getString("protocol")).isEqualTo("json");
    assertThat(r.getJsonObject("connections").getLong("ok_protobuf")).isZero();
    assertThat(r.getJsonObject("connections").getLong("ok")).isEqualTo(20);
    assertThat(r.getJsonObject("connections").getLong("failed")).isZero();
    long acked = r.getJsonObject("publications").getLong("acked");
    assertThat(acked).isGreaterThanOrEqualTo(10);
    // every publication reached all 20 subscribers, except the one dropped, plus the one duplicated
    assertThat(r.getJsonObject("deliveries").getLong("total")).isEqualTo(acked * 20);
    assertThat(r.getJsonObject("deliveries").getLong("per_second")).isPositive();
    assertThat(r.getLong("lost")).isEqualTo(1);
    assertThat(r.getLong("duplicated")).isEqualTo(1);
    assertThat(r.getLong("out_of_order")).isEqualTo(1);
    JsonObject lat = r.getJsonObject("latency_ms");
    assertThat(lat.getLong("count")).isEqualTo(acked * 20);
    assertThat(lat.getDouble("p50")).isPositive().isLessThanOrEqualTo(lat.getDouble("p99"));
    assertThat(lat.getDouble("p99")).isLessThanOrEqualTo(lat.getDouble("max"));
    assertThat(r.getJsonObject("handshake_ms").getLong("count")).isEqualTo(20);
    assertThat(r.getJsonArray("timeline")).isNotEmpty();

    Path html = dir.resolve("fanout.html");
    String page = Files.readString(html);
    assertThat(page).contains("<svg", "Latency over time", "Latency by percentile");
    assertThat(page).doesNotContain("<script", "<link");
  }
}
