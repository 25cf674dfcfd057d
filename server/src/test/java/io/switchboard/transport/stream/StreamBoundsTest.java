package io.switchboard.transport.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testsupport.NodeTestBase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bounds of an HTTP-streaming session on a real node: a client that stops reading its stream is closed as
 * a slow consumer (3008) once its queued output passes {@code client.max_outbound_bytes}, like a WebSocket one,
 * and its emulation session is forgotten.
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
          node.broker().publish("typing:streamflood", ns, data, null, null, null, false);
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
