package io.switchboard.transport.websocket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testsupport.NodeTestBase;
import io.switchboard.testsupport.RawWebSocket;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Frames the server cannot take end the connection with the close code RFC 6455 gives them, in a close frame
 * (never a bare TCP close, which a client reports as 1006), and the node carries on.
 */
class FrameErrorsTest extends NodeTestBase {

  @BeforeAll
  static void start() throws Exception {
    boot("""
        client:
          max_message_bytes: 4096
        """);
  }

  @Test
  void aFrameOverTheListenersLimitCloses1009() throws Exception {
    try (RawWebSocket ws = new RawWebSocket(server.port())) {
      // 64 MiB announced: past the listener's frame limit (at most 16 MiB); Netty refuses it at the header.
      ws.sendHeaderOnly(64L * 1024 * 1024);
      assertThat(ws.awaitClose()).isEqualTo(1009);
    }
    assertOthersCarryOn();
  }

  @Test
  void aTextMessageThatIsNotUtf8Closes1007() throws Exception {
    try (RawWebSocket ws = new RawWebSocket(server.port())) {
      ws.sendText(("{\"id\":1,\"connect\":{\"token\":\"" + server.token("utf") + "\"}}").getBytes(UTF_8));
      assertThat(ws.readText()).contains("\"connect\"");
      ByteArrayOutputStream bad = new ByteArrayOutputStream();
      bad.write("{\"id\":2,\"publish\":{\"channel\":\"chat:utf\",\"data\":\"".getBytes(UTF_8));
      bad.write(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3}); // never UTF-8; a cut sequence
      bad.write("\"}}".getBytes(UTF_8));
      ws.sendText(bad.toByteArray());
      assertThat(ws.awaitClose()).isEqualTo(1007);
    }
    assertOthersCarryOn();
  }

  @Test
  void aMessageOverTheClientLimitStillCloses1009() throws Exception {
    try (RawWebSocket ws = new RawWebSocket(server.port())) {
      ws.sendText(("{\"id\":1,\"connect\":{\"token\":\"" + server.token("big") + "\",\"data\":\"" + "x".repeat(5000)
          + "\"}}").getBytes(UTF_8));
      assertThat(ws.awaitClose()).isEqualTo(1009);
    }
  }

  private static void assertOthersCarryOn() throws Exception {
    try (WsClient c = client("after")) {
      c.subscribe("chat:after");
      JsonObject r = c.call("publish", new JsonObject().put("channel", "chat:after").put("data", new JsonObject()));
      assertThat(r.containsKey("publish")).as("%s", r).isTrue();
    }
  }
}
