package io.switchboard.codec.json;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.BadMessageException;
import io.switchboard.codec.ClientCodec;
import io.switchboard.codec.ClientCommand;
import io.switchboard.protocol.Frames;
import io.switchboard.protocol.ReplyError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The Centrifugo JSON protocol: one JSON object per frame, frames of a message joined by newlines. */
public final class JsonCodec implements ClientCodec {
  public static final JsonCodec INSTANCE = new JsonCodec();

  private JsonCodec() {}

  @Override
  public String name() {
    return "json";
  }

  @Override
  public int slot() {
    return 0;
  }

  @Override
  public boolean binary() {
    return false;
  }

  // ---- pushes (server to client, fan-out) --------------------------------------------------------------

  // ---- commands, replies and framing ---------------------------------------------------------------------

  private static final byte[] PING = Frames.PING.getBytes(StandardCharsets.UTF_8);
  private static final BadMessageException BINARY = new BadMessageException("binary message to the JSON protocol");

  @Override
  public List<ClientCommand> decode(String message) {
    return JsonCommands.decode(message);
  }

  @Override
  public List<ClientCommand> decode(Buffer message) {
    throw BINARY;
  }

  @Override
  public byte[] reply(long id, String method, JsonObject result) {
    return Frames.reply(id, method, result).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] error(long id, ReplyError error) {
    return Frames.error(id, error).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] ping() {
    return PING;
  }

  @Override
  public ByteBuf message(byte[] frame) {
    return NewlineJoin.one(frame);
  }

  @Override
  public ByteBuf join(byte[][] frames, int from, int to) {
    return NewlineJoin.join(frames, from, to);
  }

  @Override
  public int joinedLength(int frameLength, boolean first) {
    return NewlineJoin.joinedLength(frameLength, first);
  }
}
