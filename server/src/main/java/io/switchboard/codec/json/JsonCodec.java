package io.switchboard.codec.json;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.BadMessageException;
import io.switchboard.codec.ClientCodec;
import io.switchboard.protocol.ClientCommand;
import io.switchboard.protocol.ClientResult;
import io.switchboard.model.ClientInfo;
import io.switchboard.model.Publication;
import io.switchboard.model.RawJson;
import io.switchboard.protocol.ReplyError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

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
  // A publication push is written directly, its data bytes copied as they are (never parsed), since it is
  // encoded for every publication; the rarer pushes go through JsonObject.

  /** The server's ping, and the client's pong: an empty object. */
  private static final byte[] PING = {'{', '}'};

  /** {@code {"push":{"channel":ch,"pub":{...}}}}. */
  @Override
  public byte[] publicationPush(String channel, Publication pub) {
    StringBuilder head = new StringBuilder(40 + channel.length());
    head.append("{\"push\":{\"channel\":");
    RawJson.appendString(head, channel);
    head.append(",\"pub\":");
    return publication(head, pub, "}}");
  }

  @Override
  public byte[] publication(Publication pub) {
    return publication(new StringBuilder(16), pub, "");
  }

  /**
   * The publication object as pushes, history and recovery results carry it, as a {@link JsonObject} for the
   * replies that are still built as objects.
   */
  public static JsonObject publicationJson(Publication pub) {
    return new JsonObject(new String(INSTANCE.publication(pub), StandardCharsets.UTF_8));
  }

  /** {@code head + {"data":…,"info":…,"offset":…,"tags":…} + suffix} in UTF-8. */
  private static byte[] publication(StringBuilder head, Publication p, String suffix) {
    head.append("{\"data\":");
    byte[] data = JsonData.encoded(p.data(), p.json());
    String info = p.info() == null ? null : p.info().encoded();
    StringBuilder tail = new StringBuilder(48 + (info == null ? 0 : info.length()));
    if (info != null) {
      tail.append(",\"info\":").append(info);
    }
    if (p.offset() > 0) {
      tail.append(",\"offset\":").append(p.offset());
    }
    if (p.tags() != null && !p.tags().isEmpty()) {
      tail.append(",\"tags\":").append(tags(p.tags()));
    }
    tail.append('}').append(suffix);
    return concat(head, data, tail);
  }

  /**
   * The tags object. A tag without a value (JSON null in an outbox row's tags) is left out, as the Protobuf
   * codec must leave it out: both kinds of subscribers see the same tags.
   */
  private static String tags(Map<String, String> tags) {
    JsonObject o = new JsonObject();
    tags.forEach((k, v) -> {
      if (k != null && v != null) {
        o.put(k, v);
      }
    });
    return o.encode();
  }

  /** UTF-8 of {@code head}, then {@code middle} as it is, then UTF-8 of {@code tail}, in one array. */
  private static byte[] concat(CharSequence head, byte[] middle, CharSequence tail) {
    byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
    byte[] t = tail.toString().getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[h.length + middle.length + t.length];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(middle, 0, out, h.length, middle.length);
    System.arraycopy(t, 0, out, h.length + middle.length, t.length);
    return out;
  }

  @Override
  public byte[] joinPush(String channel, ClientInfo info) {
    return push(channel, "join", new JsonObject().put("info", info.toJson()));
  }

  @Override
  public byte[] leavePush(String channel, ClientInfo info) {
    return push(channel, "leave", new JsonObject().put("info", info.toJson()));
  }

  @Override
  public byte[] unsubscribePush(String channel, int code, String reason) {
    return push(channel, "unsubscribe", new JsonObject().put("code", code).put("reason", reason));
  }

  @Override
  public byte[] subscribePush(String channel, io.switchboard.protocol.SubscribeResult result) {
    return subscribePush(channel, JsonReplies.subscribe(result));
  }

  /** {@code {"push":{"channel":ch,"subscribe":result}}}: a server-side subscribe with its SubscribeResult. */
  public static byte[] subscribePush(String channel, JsonObject subscribeResult) {
    return push(channel, "subscribe", subscribeResult);
  }

  /** {@code {"push":{"message":{"data":…}}}}, e.g. the read-position sync between a user's devices. */
  @Override
  public byte[] messagePush(byte[] data, boolean json) {
    return concat("{\"push\":{\"message\":{\"data\":", JsonData.encoded(data, json), "}}}");
  }

  @Override
  public byte[] disconnectPush(int code, String reason, boolean reconnect) {
    return utf8(new JsonObject().put("push", new JsonObject().put("disconnect",
        new JsonObject().put("code", code).put("reason", reason).put("reconnect", reconnect))).encode());
  }

  @Override
  public byte[] ping() {
    return PING;
  }

  private static byte[] push(String channel, String kind, JsonObject body) {
    return utf8(new JsonObject().put("push", new JsonObject().put("channel", channel).put(kind, body)).encode());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ---- commands, replies and framing ---------------------------------------------------------------------

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
  public byte[] reply(long id, String method, ClientResult result) {
    return JsonReplies.reply(id, method, JsonReplies.encode(result)).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] error(long id, ReplyError error) {
    return JsonReplies.error(id, error).getBytes(StandardCharsets.UTF_8);
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
