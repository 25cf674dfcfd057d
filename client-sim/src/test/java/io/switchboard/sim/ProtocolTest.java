package io.switchboard.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ProtocolTest {
  @Test
  void mixedAlternatesConnectionsSoEveryProcessGetsHalfAndHalf() {
    assertThat(Protocol.MIXED.protobuf(0)).isFalse();
    assertThat(Protocol.MIXED.protobuf(1)).isTrue();
    assertThat(Protocol.MIXED.protobuf(2)).isFalse();
    for (int procs : new int[] {1, 2, 3}) {
      for (int i = 0; i < procs; i++) {
        int[] s = Runner.slice(10_000, procs, i);
        int pb = 0;
        for (int c = s[0]; c < s[1]; c++) {
          pb += Protocol.MIXED.protobuf(c) ? 1 : 0;
        }
        assertThat(Math.abs(2 * pb - (s[1] - s[0]))).as("process %d of %d", i, procs).isLessThanOrEqualTo(1);
      }
    }
    for (int c = 0; c < 100; c++) {
      assertThat(Protocol.JSON.protobuf(c)).isFalse();
      assertThat(Protocol.PROTOBUF.protobuf(c)).isTrue();
    }
  }

  @Test
  void protobufIsSelectedByTheQueryParameter() {
    URI plain = URI.create("ws://127.0.0.1:8000/connection/websocket");
    assertThat(SimConnection.requestUri(plain, JsonClientWire.INSTANCE.query())).isEqualTo("/connection/websocket");
    assertThat(SimConnection.requestUri(plain, ProtobufClientWire.INSTANCE.query()))
        .isEqualTo("/connection/websocket?cf_protocol=protobuf");
    URI withQuery = URI.create("ws://127.0.0.1:8000/connection/websocket?x=1");
    assertThat(SimConnection.requestUri(withQuery, ProtobufClientWire.INSTANCE.query()))
        .isEqualTo("/connection/websocket?x=1&cf_protocol=protobuf");
    assertThat(SimConnection.requestUri(withQuery, null)).isEqualTo("/connection/websocket?x=1");
    assertThat(SimConnection.requestUri(URI.create("ws://127.0.0.1:8000"), null)).isEqualTo("/");
  }

  @Test
  void theOptionTakesTheThreeNamesAndNoProtocolWithRaw() {
    ArgumentsTest.Outcome bad = ArgumentsTest.run("idle", "--token-secret", "s", "--protocol", "xml");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--protocol").contains("json", "protobuf", "mixed");
    ArgumentsTest.Outcome raw = ArgumentsTest.run("fanout", "--raw", "--protocol", "protobuf", "--api",
        "http://127.0.0.1:1/api");
    assertThat(raw.code()).isEqualTo(2);
    assertThat(raw.err()).contains("--raw has no protocol");
    assertThat(ArgumentsTest.run("fanout", "--help").out()).contains("--protocol");
  }
}
