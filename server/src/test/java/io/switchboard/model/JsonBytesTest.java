package io.switchboard.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a JSON namespace accepts from a client whose data is bytes: one JSON value, UTF-8, one line. */
class JsonBytesTest {

  private static boolean ok(String s) {
    return JsonBytes.isJsonLine(s.getBytes(UTF_8));
  }

  @Test
  void oneJsonValueOnOneLine() {
    assertThat(ok("{\"a\":[1,2,{\"b\":null}]}")).isTrue();
    assertThat(ok("  { \"spaced\" : true }\t")).isTrue();
    assertThat(ok("\"text with \\n escaped\"")).isTrue();
    assertThat(ok("42")).isTrue();
    assertThat(ok("\"ünïcödé ✓\"")).isTrue();
    assertThat(ok("null")).isTrue();
  }

  @Test
  void anythingElseIsRefused() {
    assertThat(JsonBytes.isJsonLine(null)).isFalse();
    assertThat(JsonBytes.isJsonLine(new byte[0])).isFalse();
    assertThat(ok("   ")).isFalse();
    assertThat(ok("{\"a\":\n1}")).isFalse();
    assertThat(ok("{\"a\":1}\r")).isFalse();
    assertThat(ok("{\"a\":1} {\"b\":2}")).isFalse();
    assertThat(ok("{\"a\":1}x")).isFalse();
    assertThat(ok("{\"a\":")).isFalse();
    assertThat(ok("not json")).isFalse();
    assertThat(ok("{'a':1}")).isFalse();
    assertThat(ok("NaN")).isFalse();
    assertThat(JsonBytes.isJsonLine(new byte[] {'"', (byte) 0xc3, '"'})).isFalse(); // a cut UTF-8 sequence
    assertThat(JsonBytes.isJsonLine(new byte[] {'"', (byte) 0xff, '"'})).isFalse();
    assertThat(JsonBytes.isJsonLine(new byte[] {0, 1, 2})).isFalse();
  }
}
