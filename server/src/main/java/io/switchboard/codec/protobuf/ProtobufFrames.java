package io.switchboard.codec.protobuf;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The Protobuf protocol's framing: a message is a stream of replies, each prefixed with its length as a varint.
 * A frame here is one reply (or a few, back to back) with its prefix already written: a push is encoded once
 * per codec and shared by every subscriber, so the prefix is paid once too, and joining frames into a message
 * is wrapping them one after another in a composite buffer, without copying them.
 */
final class ProtobufFrames {
  private ProtobufFrames() {}

  /** {@code message} with its varint length prefix, in one array. */
  static byte[] delimited(MessageLite message) {
    int size = message.getSerializedSize();
    byte[] out = new byte[CodedOutputStream.computeUInt32SizeNoTag(size) + size];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      cos.writeUInt32NoTag(size);
      message.writeTo(cos);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen writing into an array of the computed size
    }
    return out;
  }

  /** Several delimited frames as one (e.g. a subscribe push and the publications it recovered). */
  static byte[] concat(byte[] first, byte[]... rest) {
    int n = first.length;
    for (byte[] r : rest) {
      n += r.length;
    }
    byte[] out = new byte[n];
    System.arraycopy(first, 0, out, 0, first.length);
    int at = first.length;
    for (byte[] r : rest) {
      System.arraycopy(r, 0, out, at, r.length);
      at += r.length;
    }
    return out;
  }

  static ByteBuf one(byte[] frame) {
    return Unpooled.wrappedBuffer(frame);
  }

  static ByteBuf join(byte[][] frames, int from, int to) {
    byte[][] parts = new byte[to - from][];
    System.arraycopy(frames, from, parts, 0, parts.length);
    return Unpooled.wrappedBuffer(parts);
  }
}
