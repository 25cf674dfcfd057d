package io.switchboard.sim;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import io.netty.buffer.ByteBuf;
import io.switchboard.codec.protobuf.wire.Command;
import io.switchboard.codec.protobuf.wire.ConnectRequest;
import io.switchboard.codec.protobuf.wire.ConnectResult;
import io.switchboard.codec.protobuf.wire.PublishRequest;
import io.switchboard.codec.protobuf.wire.Publication;
import io.switchboard.codec.protobuf.wire.Push;
import io.switchboard.codec.protobuf.wire.Reply;
import io.switchboard.codec.protobuf.wire.SubscribeRequest;
import io.switchboard.codec.protobuf.wire.SubscribeResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The Protobuf protocol: binary frames, each a stream of varint-length-delimited {@code Command}s (to the server)
 * or {@code Reply}s (from it), with Centrifugo's generated classes. A ping is an empty reply, a pong an empty
 * command. Publication data are the very JSON bytes the sim publishes, so {@link #sequence}/{@link #timestamp}
 * read them as {@link Wire} reads a JSON push.
 */
final class ProtobufClientWire implements ClientWire {
  static final ProtobufClientWire INSTANCE = new ProtobufClientWire();
  private static final String QUERY = "cf_protocol=protobuf";
  private static final byte[] TS_KEY = Wire.TS_KEY.getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SEQ_KEY = Wire.SEQ_KEY.getBytes(StandardCharsets.US_ASCII);

  private ProtobufClientWire() {}

  @Override
  public String query() {
    return QUERY;
  }

  @Override
  public void attach(SimSocket ws, WireEvents events) {
    ws.binaryHandler(b -> read(b, events));
    ws.textHandler(t -> events.unreadable("text frame on a Protobuf connection"));
  }

  @Override
  public void handshake(SimSocket ws, Handshake h) {
    ws.writeBinary(handshake(h));
  }

  @Override
  public void publish(SimSocket ws, long id, String channel, String data) {
    ws.writeBinary(publish(id, channel, data));
  }

  @Override
  public void pong(SimSocket ws) {
    ws.writeBinary(pongMessage());
  }

  /** An empty Command: its length, 0, and nothing else. A new buffer each time: pings are rare. */
  static Buffer pongMessage() {
    return Buffer.buffer(new byte[] {0});
  }

  static Buffer handshake(Handshake h) {
    ConnectRequest.Builder connect = ConnectRequest.newBuilder().setName("client-sim");
    if (h.token() != null) {
      connect.setToken(h.token());
    }
    if (h.personal() != null) {
      connect.putSubs(h.personal().channel(), subscribeRequest(h.personal()));
    }
    List<Command> cmds = new ArrayList<>(1 + h.subs().size());
    cmds.add(Command.newBuilder().setId((int) h.connectId()).setConnect(connect).build());
    for (SubscribeCmd s : h.subs()) {
      cmds.add(Command.newBuilder().setId((int) s.id()).setSubscribe(subscribeRequest(s)).build());
    }
    return delimited(cmds);
  }

  private static SubscribeRequest subscribeRequest(SubscribeCmd s) {
    SubscribeRequest.Builder b = SubscribeRequest.newBuilder().setChannel(s.channel());
    if (s.recover()) {
      b.setRecover(true).setOffset(s.offset()).setEpoch(s.epoch() == null ? "" : s.epoch());
    }
    return b.build();
  }

  static Buffer publish(long id, String channel, String data) {
    return delimited(List.of(Command.newBuilder().setId((int) id).setPublish(PublishRequest.newBuilder()
        .setChannel(channel).setData(UnsafeByteOperations.unsafeWrap(data.getBytes(StandardCharsets.UTF_8))))
        .build()));
  }

  /** Each command prefixed with its length as a varint, in one array. */
  static Buffer delimited(List<Command> cmds) {
    int total = 0;
    for (Command c : cmds) {
      int size = c.getSerializedSize();
      total += CodedOutputStream.computeUInt32SizeNoTag(size) + size;
    }
    byte[] out = new byte[total];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      for (Command c : cmds) {
        cos.writeUInt32NoTag(c.getSerializedSize());
        c.writeTo(cos);
      }
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a command", e); // an array of the computed size
    }
    return Buffer.buffer(out);
  }

  /**
   * Reads every reply of one message. The input aliases the message's bytes (no copy of the frame, nor of the
   * publication data, which is only scanned before this returns).
   */
  static void read(Buffer message, WireEvents events) {
    CodedInputStream in = input(message);
    try {
      while (!in.isAtEnd()) {
        int len = in.readRawVarint32();
        if (len == 0) {
          events.ping();
          continue;
        }
        int outer = in.pushLimit(len);
        Reply reply = Reply.parser().parseFrom(in);
        in.popLimit(outer);
        dispatch(reply, events);
      }
    } catch (IOException | RuntimeException e) {
      events.unreadable("unreadable Protobuf message: " + e.getClass().getSimpleName());
    }
  }

  private static CodedInputStream input(Buffer message) {
    ByteString whole;
    if (message instanceof BufferInternal bi) {
      ByteBuf bb = bi.getByteBuf();
      whole = bb.hasArray()
          ? UnsafeByteOperations.unsafeWrap(bb.array(), bb.arrayOffset() + bb.readerIndex(), bb.readableBytes())
          : UnsafeByteOperations.unsafeWrap(bb.nioBuffer());
    } else {
      whole = UnsafeByteOperations.unsafeWrap(message.getBytes());
    }
    CodedInputStream in = whole.newCodedInput();
    in.enableAliasing(true);
    return in;
  }

  private static void dispatch(Reply reply, WireEvents events) {
    if (reply.getId() == 0) {
      push(reply.getPush(), events);
      return;
    }
    WireEvents.Pending p = events.replyTo(Integer.toUnsignedLong(reply.getId()));
    if (p == null) {
      return;
    }
    String error = reply.hasError() ? Integer.toUnsignedString(reply.getError().getCode()) : null;
    switch (p.kind()) {
      case WireEvents.PUBLISH -> events.published(p, error);
      case WireEvents.CONNECT -> {
        String personal = events.personalChannel();
        ConnectResult c = reply.getConnect();
        SubscribeResult r = error != null || personal == null ? null : c.getSubsMap().get(personal);
        events.connected(error, r == null ? null : subResult(r));
      }
      default -> events.subscribed(p.channel(), error, error != null ? null : subResult(reply.getSubscribe()));
    }
  }

  private static void push(Push push, WireEvents events) {
    if (push.hasPub()) {
      Publication pub = push.getPub();
      ByteString data = pub.getData();
      long off = pub.getOffset();
      events.publication(push.getChannel(), off > 0 ? off : sequence(data), timestamp(data));
    } else if (push.hasDisconnect()) {
      events.push(WireEvents.PUSH_DISCONNECT);
    } else if (push.hasUnsubscribe()) {
      events.push(WireEvents.PUSH_UNSUBSCRIBE);
    } else {
      events.push(WireEvents.PUSH_OTHER);
    }
  }

  static ClientWire.SubResult subResult(SubscribeResult r) {
    long[] offsets = new long[r.getPublicationsCount()];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = r.getPublications(i).getOffset();
    }
    return new ClientWire.SubResult(r.getOffset(), r.getEpoch(), r.getWasRecovering(), r.getRecovered(), offsets);
  }

  /** The payload's send time in microseconds, or -1. */
  static long timestamp(ByteString data) {
    return numberAfter(data, TS_KEY);
  }

  /** The payload's sequence number, or -1. */
  static long sequence(ByteString data) {
    return numberAfter(data, SEQ_KEY);
  }

  /** The non-negative integer right after the first {@code key} in {@code data}, or -1. */
  static long numberAfter(ByteString data, byte[] key) {
    int n = data.size();
    int last = n - key.length;
    outer:
    for (int i = 0; i <= last; i++) {
      for (int k = 0; k < key.length; k++) {
        if (data.byteAt(i + k) != key[k]) {
          continue outer;
        }
      }
      long v = 0;
      int digits = 0;
      for (int j = i + key.length; j < n; j++) {
        byte c = data.byteAt(j);
        if (c < '0' || c > '9') {
          break;
        }
        v = v * 10 + (c - '0');
        digits++;
      }
      return digits == 0 ? -1 : v;
    }
    return -1;
  }
}
