package io.switchboard.transport.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * How a transport message (frames joined by the codec) goes down a stream, as centrifuge-js reads it:
 * HTTP-streaming with JSON, one line per message (the client splits on newlines; frames inside a joined message
 * are newline-separated already); HTTP-streaming with Protobuf, the varint-delimited bytes as they are; SSE,
 * one {@code data:} event per message, each line of it a {@code data:} line (EventSource joins them with
 * newlines again).
 */
enum StreamFraming {
  LINES {
    @Override
    ByteBuf frame(ByteBuf message) {
      return Unpooled.wrappedBuffer(message, NEWLINE.duplicate());
    }
  },
  BINARY {
    @Override
    ByteBuf frame(ByteBuf message) {
      return message;
    }
  },
  EVENTS {
    @Override
    ByteBuf frame(ByteBuf message) {
      int n = message.readableBytes();
      ByteBuf out = Unpooled.buffer(n + 16);
      out.writeBytes(DATA.duplicate());
      for (int i = message.readerIndex(), end = message.writerIndex(); i < end; i++) {
        byte b = message.getByte(i);
        if (b == '\n') {
          out.writeByte('\n').writeBytes(DATA.duplicate()); // JSON frames carry no raw newline of their own
        } else {
          out.writeByte(b);
        }
      }
      out.writeByte('\n').writeByte('\n');
      message.release();
      return out;
    }
  };

  private static final ByteBuf NEWLINE = StreamTransport.bytes("\n");
  private static final ByteBuf DATA = StreamTransport.bytes("data: ");

  /** The bytes to write for one message; takes ownership of {@code message}. */
  abstract ByteBuf frame(ByteBuf message);
}
