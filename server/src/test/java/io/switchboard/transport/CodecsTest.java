package io.switchboard.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.codec.json.JsonCodec;
import io.switchboard.codec.protobuf.ProtobufCodec;
import org.junit.jupiter.api.Test;

class CodecsTest {

  @Test
  void theQueryOrTheSubprotocolChooses() {
    assertThat(Codecs.select(null, false)).isSameAs(JsonCodec.INSTANCE);
    assertThat(Codecs.select("", false)).isSameAs(JsonCodec.INSTANCE);
    assertThat(Codecs.select("cf_protocol=json", false)).isSameAs(JsonCodec.INSTANCE);
    assertThat(Codecs.select("cf_protocol=protobuf", false)).isSameAs(ProtobufCodec.INSTANCE);
    assertThat(Codecs.select("x=1&format=protobuf", false)).isSameAs(ProtobufCodec.INSTANCE);
    assertThat(Codecs.select("format=json", false)).isSameAs(JsonCodec.INSTANCE);
    assertThat(Codecs.select(null, true)).isSameAs(ProtobufCodec.INSTANCE);
    assertThat(Codecs.select("cf_protocol=xml", false)).isNull();
    assertThat(Codecs.select("cf_protocol=", false)).isNull();
    assertThat(Codecs.byName("protobuf")).isSameAs(ProtobufCodec.INSTANCE);
    assertThat(Codecs.byName("json")).isSameAs(JsonCodec.INSTANCE);
    assertThat(Codecs.byName("msgpack")).isNull();
  }
}
