package io.switchboard.transport.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testsupport.NodeTestBase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bounds of an HTTP-streaming session on a real node: a client that stops reading its stream is closed as
 * a slow consumer (3008) once its queued output passes {@code client.max_outbound_bytes}, like a WebSocket one,
 * and its subscriptions end. While the node drains, new streams are refused.
 */
class StreamBoundsTest extends NodeTestBase {

  @BeforeAll
  static void start() throws Exception {
    boot("""
        client:
          max_outbound_bytes: 262144
        """);
  }

  @Test
  void aStreamThatIsNotReadIsClosedWith3008() throws Exception {
    var node = server.node.parts();
    double slowBefore = node.metrics().disconnectCount(3008);
    String body = "{\"id\":1,\"connect\":{\"token\":\"" + server.token("slow") + "\"}}\n"
        + "{\"id\":2,\"subscribe\":{\"channel\":\"typing:streamflood\"}}";
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
      socket.setSoTimeout(5000);
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /connection/http_stream HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
          + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 200");
      long deadline = System.currentTimeMillis() + 5_000;
      while (node.hub().channelCounts().getOrDefault("typing:streamflood", 0) == 0
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      assertThat(node.hub().channelCounts().getOrDefault("typing:streamflood", 0)).isEqualTo(1);
      // Never read again; publish until the node gives up on it.
      String data = "\"" + "y".repeat(3000) + "\"";
      var ns = node.policy().resolve("typing:streamflood");
      deadline = System.currentTimeMillis() + 15_000;
      while (node.metrics().disconnectCount(3008) == slowBefore && System.currentTimeMillis() < deadline) {
        for (int i = 0; i < 100; i++) {
          node.broker().publish("typing:streamflood", ns, data.getBytes(java.nio.charset.StandardCharsets.UTF_8), true, null, null, null, false);
        }
        Thread.sleep(5);
      }
      assertThat(node.metrics().disconnectCount(3008)).isEqualTo(slowBefore + 1);
      deadline = System.currentTimeMillis() + 5_000;
      while (node.hub().channelCounts().getOrDefault("typing:streamflood", 0) > 0
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      assertThat(node.hub().channelCounts().getOrDefault("typing:streamflood", 0)).isZero();
    }
  }

  @Test
  void whileDrainingNewStreamsGet503AndEmulationIsStillServed() throws Exception {
    var status = server.node.parts().status();
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + server.port();
    String connect = "{\"id\":1,\"connect\":{\"token\":\"" + server.token("late") + "\"}}";
    status.setDraining(true);
    try {
      HttpResponse<String> stream = http.send(HttpRequest.newBuilder(URI.create(base + "/connection/http_stream"))
          .POST(HttpRequest.BodyPublishers.ofString(connect)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(stream.statusCode()).isEqualTo(503);
      HttpResponse<String> sse = http.send(HttpRequest.newBuilder(URI.create(base + "/connection/sse?cf_connect="
          + URLEncoder.encode(connect, StandardCharsets.UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(sse.statusCode()).isEqualTo(503);
      // Sessions still open send their commands here while they are drained: not refused (this one is unknown).
      HttpResponse<String> emulation = http.send(HttpRequest.newBuilder(URI.create(base + "/emulation"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"session\":\"gone\",\"data\":\"{}\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(emulation.statusCode()).isEqualTo(404);
    } finally {
      status.setDraining(false);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before the response head: " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }
}
