package io.switchboard.transport.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.switchboard.codec.protobuf.wire.EmulationRequest;
import io.switchboard.transport.OriginCheck;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bytes a stream writes per message, and what an emulation request body is read as. */
class StreamWireTest {

  private static String framed(StreamFraming f, String message) {
    ByteBuf out = f.frame(Unpooled.wrappedBuffer(message.getBytes(StandardCharsets.UTF_8)));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void httpStreamingJsonIsOneLinePerFrame() {
    assertThat(framed(StreamFraming.LINES, "{\"id\":1}")).isEqualTo("{\"id\":1}\n");
    assertThat(framed(StreamFraming.LINES, "{\"id\":1}\n{}")).isEqualTo("{\"id\":1}\n{}\n");
  }

  @Test
  void sseIsOneEventPerMessageWithADataLinePerFrame() {
    assertThat(framed(StreamFraming.EVENTS, "{}")).isEqualTo("data: {}\n\n");
    // EventSource joins the data lines of one event with newlines: the JSON codec's joined frames again.
    assertThat(framed(StreamFraming.EVENTS, "{\"id\":1}\n{\"push\":{}}"))
        .isEqualTo("data: {\"id\":1}\ndata: {\"push\":{}}\n\n");
  }

  @Test
  void binaryStreamsPassVarintDelimitedBytesAsTheyAre() {
    byte[] bytes = {2, 8, 1, 0};
    ByteBuf out = StreamFraming.BINARY.frame(Unpooled.wrappedBuffer(bytes));
    assertThat(ByteBufUtil.getBytes(out)).containsExactly(bytes);
  }

  @Test
  void jsonEmulationRequests() {
    EmulationEndpoint.Request r = EmulationEndpoint.json(Buffer.buffer(
        "{\"session\":\"s\",\"node\":\"n\",\"data\":\"{\\\"id\\\":2,\\\"rpc\\\":{}}\"}"));
    assertThat(r.node()).isEqualTo("n");
    assertThat(r.session()).isEqualTo("s");
    assertThat(new String(r.data(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":2,\"rpc\":{}}");
    assertThat(EmulationEndpoint.json(Buffer.buffer("{\"session\":\"s\",\"data\":\"{}\"}")).node()).isNull();
    for (String bad : List.of("", "nope", "[]", "{}", "{\"session\":\"\",\"data\":\"{}\"}",
        "{\"session\":\"s\",\"data\":{}}", "{\"session\":1,\"data\":\"{}\"}", "{\"session\":\"s\",\"node\":2,\"data\":\"x\"}")) {
      assertThat(EmulationEndpoint.json(Buffer.buffer(bad))).as(bad).isNull();
    }
  }

  @Test
  void protobufEmulationRequests() {
    byte[] commands = {3, 8, 2, 0x52};
    byte[] body = EmulationRequest.newBuilder().setNode("n").setSession("s").setData(ByteString.copyFrom(commands))
        .build().toByteArray();
    EmulationEndpoint.Request r = EmulationEndpoint.protobuf(Buffer.buffer(body));
    assertThat(r.node()).isEqualTo("n");
    assertThat(r.session()).isEqualTo("s");
    assertThat(r.data()).containsExactly(commands);
    assertThat(EmulationEndpoint.protobuf(Buffer.buffer(new byte[] {(byte) 0xff, (byte) 0xff}))).isNull();
    assertThat(EmulationEndpoint.protobuf(Buffer.buffer(
        EmulationRequest.newBuilder().setNode("n").build().toByteArray()))).isNull(); // no session
  }

  @Test
  void originRuleIsTheWebSocketOne() {
    OriginCheck none = new OriginCheck(List.of());
    assertThat(none.allows(null, "h:1")).isTrue(); // not a browser
    assertThat(none.allows("http://h:1", "h:1")).isTrue();
    assertThat(none.allows("https://h:1", "h:1")).isTrue();
    assertThat(none.allows("http://evil:1", "h:1")).isFalse();
    assertThat(new OriginCheck(List.of("http://app.example")).allows("http://APP.example", "h")).isTrue();
    assertThat(new OriginCheck(List.of("*")).allows("http://any", "h")).isTrue();
  }
}
