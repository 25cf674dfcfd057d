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

  @Test
  void depthCountsContainersOutsideStrings() {
    assertThat(JsonBytes.depth("1".getBytes(UTF_8), 64)).isZero();
    assertThat(JsonBytes.depth("{\"a\":[1,{\"b\":[]}]}".getBytes(UTF_8), 64)).isEqualTo(4);
    assertThat(JsonBytes.depth("[\"[[[{{{\\\"]]]\",[2]]".getBytes(UTF_8), 64)).isEqualTo(2);
    assertThat(JsonBytes.depth(("[".repeat(998) + "]".repeat(998)).getBytes(UTF_8), 64)).isEqualTo(65); // stops
    assertThat(JsonBytes.depth("[[],[],[[]]]".getBytes(UTF_8), 64)).isEqualTo(3);
  }

  @Test
  void checkRefusesTooDeepJsonAndTooLargeData() {
    byte[] deep = ("[".repeat(65) + "]".repeat(65)).getBytes(UTF_8);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> JsonBytes.check(deep, true, 64, 1000))
        .isInstanceOf(CoreException.class).hasMessageContaining("deeper than 64");
    JsonBytes.check(deep, false, 64, 1000); // bytes, not JSON: only their size counts
    JsonBytes.check(("[".repeat(64) + "]".repeat(64)).getBytes(UTF_8), true, 64, 1000);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> JsonBytes.check(new byte[1001], false, 64, 1000))
        .isInstanceOf(CoreException.class).hasMessageContaining("larger than 1000 bytes");
  }
}
