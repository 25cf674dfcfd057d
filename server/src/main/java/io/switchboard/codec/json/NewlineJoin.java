package io.switchboard.codec.json;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The JSON protocol's framing: the frames of one message joined by newlines. The result wraps the frames'
 * own bytes (encoded once, shared by every subscriber) in a composite buffer, without copying them.
 */
final class NewlineJoin {
  private static final byte[] NEWLINE = {'\n'};

  private NewlineJoin() {}

  static ByteBuf one(byte[] frame) {
    return Unpooled.wrappedBuffer(frame);
  }

  static ByteBuf join(byte[][] frames, int from, int to) {
    byte[][] parts = new byte[(to - from) * 2 - 1][];
    for (int i = from, j = 0; i < to; i++) {
      if (i > from) {
        parts[j++] = NEWLINE;
      }
      parts[j++] = frames[i];
    }
    return Unpooled.wrappedBuffer(parts);
  }

  /** A frame adds its bytes, and a newline before it unless it opens the message. */
  static int joinedLength(int frameLength, boolean first) {
    return first ? frameLength : frameLength + 1;
  }
}
