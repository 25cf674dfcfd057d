package io.switchboard.codec.protobuf;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.BadMessageException;
import io.switchboard.codec.ClientCodec;
import io.switchboard.codec.protobuf.wire.Disconnect;
import io.switchboard.codec.protobuf.wire.Join;
import io.switchboard.codec.protobuf.wire.Leave;
import io.switchboard.codec.protobuf.wire.Message;
import io.switchboard.codec.protobuf.wire.Push;
import io.switchboard.codec.protobuf.wire.Reply;
import io.switchboard.codec.protobuf.wire.Subscribe;
import io.switchboard.codec.protobuf.wire.Unsubscribe;
import io.switchboard.model.ClientInfo;
import io.switchboard.model.Publication;
import io.switchboard.protocol.ClientCommand;
import io.switchboard.protocol.ClientResult;
import io.switchboard.protocol.ReplyError;
import io.switchboard.protocol.SubscribeResult;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * The Centrifugo Protobuf protocol ({@code client.proto}, classes generated at build time): binary messages
 * that are length-delimited streams of {@code Command}s in and {@code Reply}s out; a ping is an empty reply,
 * a pong an empty command. Every frame this codec makes carries its own varint prefix ({@link ProtobufFrames}).
 * Data travels as bytes, exactly as stored.
 */
public final class ProtobufCodec implements ClientCodec {
  public static final ProtobufCodec INSTANCE = new ProtobufCodec();

  /** The empty reply, delimited: its length, 0. */
  private static final byte[] PING = {0};

  private static final BadMessageException TEXT = new BadMessageException("text message to the Protobuf protocol");

  private ProtobufCodec() {}

  @Override
  public String name() {
    return "protobuf";
  }

  @Override
  public int slot() {
    return 1;
  }

  @Override
  public boolean binary() {
    return true;
  }

  // ---- pushes ------------------------------------------------------------------------------------------

  @Override
  public byte[] publicationPush(String channel, Publication pub) {
    return push(Push.newBuilder().setChannel(channel).setPub(ProtobufReplies.publication(pub)));
  }

  @Override
  public byte[] joinPush(String channel, ClientInfo info) {
    return push(Push.newBuilder().setChannel(channel).setJoin(Join.newBuilder().setInfo(ProtobufReplies.info(info))));
  }

  @Override
  public byte[] leavePush(String channel, ClientInfo info) {
    return push(Push.newBuilder().setChannel(channel)
        .setLeave(Leave.newBuilder().setInfo(ProtobufReplies.info(info))));
  }

  @Override
  public byte[] unsubscribePush(String channel, int code, String reason) {
    return push(Push.newBuilder().setChannel(channel)
        .setUnsubscribe(Unsubscribe.newBuilder().setCode(code).setReason(reason == null ? "" : reason)));
  }

  /**
   * The {@code Subscribe} push has no publications, unlike the JSON one (the SDKs read only its position): the
   * publications a server-side subscription recovered follow it as {@code pub} pushes, in the same frame.
   */
  @Override
  public byte[] subscribePush(String channel, SubscribeResult result) {
    Subscribe.Builder s = Subscribe.newBuilder();
    if (result.epoch() != null) {
      s.setRecoverable(result.recoverable()).setPositioned(result.positioned()).setEpoch(result.epoch())
          .setOffset(result.offset());
    }
    byte[] frame = push(Push.newBuilder().setChannel(channel).setSubscribe(s));
    if (!result.recovered() || result.publications().isEmpty()) {
      return frame;
    }
    List<Publication> pubs = result.publications();
    byte[][] rest = new byte[pubs.size()][];
    for (int i = 0; i < rest.length; i++) {
      rest[i] = publicationPush(channel, pubs.get(i));
    }
    return ProtobufFrames.concat(frame, rest);
  }

  @Override
  public byte[] messagePush(byte[] data, boolean json) {
    return push(Push.newBuilder().setMessage(Message.newBuilder().setData(ProtobufReplies.bytes(data))));
  }

  @Override
  public byte[] disconnectPush(int code, String reason, boolean reconnect) {
    return push(Push.newBuilder().setDisconnect(Disconnect.newBuilder().setCode(code)
        .setReason(reason == null ? "" : reason).setReconnect(reconnect)));
  }

  /** The publication message alone (not delimited), as history and recovery results hold it. */
  @Override
  public byte[] publication(Publication pub) {
    return ProtobufReplies.publication(pub).toByteArray();
  }

  @Override
  public byte[] ping() {
    return PING;
  }

  private static byte[] push(Push.Builder push) {
    return ProtobufFrames.delimited(Reply.newBuilder().setPush(push).build());
  }

  // ---- commands, replies and framing ---------------------------------------------------------------------

  @Override
  public List<ClientCommand> decode(String message) {
    throw TEXT;
  }

  @Override
  public List<ClientCommand> decode(Buffer message) {
    return ProtobufCommands.decode(message.getBytes());
  }

  @Override
  public byte[] reply(long id, String method, ClientResult result) {
    return ProtobufFrames.delimited(ProtobufReplies.reply(id, method, result));
  }

  @Override
  public byte[] error(long id, ReplyError error) {
    return ProtobufFrames.delimited(ProtobufReplies.error(id, error));
  }

  @Override
  public ByteBuf message(byte[] frame) {
    return ProtobufFrames.one(frame);
  }

  @Override
  public ByteBuf join(byte[][] frames, int from, int to) {
    return ProtobufFrames.join(frames, from, to);
  }

  /** Frames carry their own length prefix: joining adds nothing. */
  @Override
  public int joinedLength(int frameLength, boolean first) {
    return frameLength;
  }
}
