package io.switchboard.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import java.util.List;

/**
 * WebSocket text frames built from bytes that were encoded once. Vert.x's public API only makes text frames
 * from a String (encoding it again for every connection), so this uses its frame class directly: each write
 * wraps the shared UTF-8 bytes in a new Netty buffer, without copying them.
 */
final class TextFrames {
  private static final byte[] NEWLINE = {'\n'};

  private TextFrames() {}

  static WebSocketFrame of(byte[] utf8) {
    return new WebSocketFrameImpl(WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(utf8), true);
  }

  /** One message of several protocol frames joined by newlines, still without copying their bytes. */
  static WebSocketFrame joined(List<byte[]> frames, int from, int to) {
    byte[][] parts = new byte[(to - from) * 2 - 1][];
    for (int i = from, j = 0; i < to; i++) {
      if (i > from) {
        parts[j++] = NEWLINE;
      }
      parts[j++] = frames.get(i);
    }
    ByteBuf buf = Unpooled.wrappedBuffer(parts);
    return new WebSocketFrameImpl(WebSocketFrameType.TEXT, buf, true);
  }
}
