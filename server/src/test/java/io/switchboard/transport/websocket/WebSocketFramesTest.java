package io.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Messages written in one go are frames a client's decoder (Netty's) reads back one by one, at every length size. */
class WebSocketFramesTest {

  @Test
  void messagesOfEveryLengthSizeComeBackOneByOne() {
    List<String> texts = List.of("{\"event\":\"a\"}", "x".repeat(125), "y".repeat(126), "z".repeat(70_000), "");
    List<ByteBuf> messages = new ArrayList<>();
    texts.forEach(t -> messages.add(Unpooled.wrappedBuffer(t.getBytes(StandardCharsets.UTF_8))));
    ByteBuf wire = WebSocketTransport.encode(messages, false);

    EmbeddedChannel client = new EmbeddedChannel(new WebSocket08FrameDecoder(false, false, 1 << 20));
    client.writeInbound(wire);
    List<String> read = new ArrayList<>();
    for (Object f; (f = client.readInbound()) != null; ) {
      TextWebSocketFrame frame = (TextWebSocketFrame) f;
      assertThat(frame.isFinalFragment()).isTrue();
      read.add(frame.text());
      frame.release();
    }
    assertThat(read).isEqualTo(texts);
  }
}
