package io.switchboard.transport.uni;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SSE framing of one push, and which paths the HTTP endpoint takes when each transport is on or off. */
class UniFramingTest {

  private static String event(String push) {
    return UniHttpTransport.sseEvent(Unpooled.wrappedBuffer(push.getBytes(StandardCharsets.UTF_8)))
        .toString(StandardCharsets.UTF_8);
  }

  @Test
  void onePushIsOneEvent() {
    assertThat(event("{\"channel\":\"c\",\"pub\":{\"data\":\"a\\nb\"}}"))
        .isEqualTo("data: {\"channel\":\"c\",\"pub\":{\"data\":\"a\\nb\"}}\n\n");
  }

  @Test
  void aLineBreakInsideAPushBecomesAnotherDataLineOfTheSameEvent() {
    // JSON may carry raw line breaks between tokens (data is embedded as published); the client joins the
    // data lines back with \n, which is the same JSON.
    assertThat(event("{\"pub\":\n{\"data\":1}\r\n}")).isEqualTo("data: {\"pub\":\ndata: {\"data\":1}\ndata: }\n\n");
  }

  @Test
  void servesOnlyTheEnabledPaths() {
    UniHttpEndpoint both = new UniHttpEndpoint(true, true, new io.switchboard.transport.OriginCheck(List.of()), 1024, (t, c) -> { }, () -> false);
    assertThat(both.serves("/connection/uni_sse")).isTrue();
    assertThat(both.serves("/connection/uni_sse/")).isTrue();
    assertThat(both.serves("/connection/uni_http_stream")).isTrue();
    assertThat(both.serves("/connection/uni_ssex")).isFalse();
    assertThat(both.serves("/connection/sse")).isFalse();
    UniHttpEndpoint streamOnly = new UniHttpEndpoint(false, true, new io.switchboard.transport.OriginCheck(List.of()), 1024, (t, c) -> { }, () -> false);
    assertThat(streamOnly.serves("/connection/uni_sse")).isFalse();
    assertThat(streamOnly.serves("/connection/uni_http_stream")).isTrue();
    assertThat(UniWebSocketEndpoint.serves("/connection/uni_websocket")).isTrue();
    assertThat(UniWebSocketEndpoint.serves("/connection/websocket")).isFalse();
  }
}
