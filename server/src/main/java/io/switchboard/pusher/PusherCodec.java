package io.switchboard.pusher;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.codec.BadMessageException;
import io.switchboard.codec.ClientCodec;
import io.switchboard.model.ClientInfo;
import io.switchboard.model.Publication;
import io.switchboard.protocol.ClientCommand;
import io.switchboard.protocol.ClientResult;
import io.switchboard.protocol.ReplyError;
import io.switchboard.protocol.SubscribeResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The Pusher wire format of the pushes the broker fans out, in a codec slot of its own, so a publication is
 * encoded once for every Pusher subscriber of a node. A push that is not for every subscriber carries a small
 * header before its JSON, read and stripped by {@link PusherSession#deliver}: the socket to skip (an event
 * triggered with {@code socket_id}, a client event), or the member a presence event is about (Pusher tells
 * member_added once per user, not per connection, and never to the member itself). A frame without a header
 * starts with '{'. Commands are not decoded here: the session reads Pusher events itself.
 */
final class PusherCodec implements ClientCodec {
  static final PusherCodec INSTANCE = new PusherCodec();
  /** Header kinds: the first byte of a frame that has a header. */
  static final byte EXCLUDING = 0;
  static final byte MEMBER_ADDED = 1;
  static final byte MEMBER_REMOVED = 2;
  /**
   * An event of a channel with history: its offset and Pusher channel, then the frame (which may have a header
   * of its own). Only connections that opted into the resume extension see the offset ({@link PusherResume}).
   */
  static final byte POSITIONED = 3;
  /** Publication tags this front end writes: the Pusher event name, the socket not to send it to, the sender. */
  static final String TAG_EVENT = "event";
  static final String TAG_SOCKET = "socket_id";
  static final String TAG_USER = "user_id";
  /** The event name of publications made without one (a Centrifugo client's or the server API's). */
  static final String DEFAULT_EVENT = "message";

  private PusherCodec() {}

  @Override
  public String name() {
    return "pusher";
  }

  @Override
  public int slot() {
    return 3;
  }

  @Override
  public boolean binary() {
    return false;
  }

  @Override
  public byte[] publicationPush(String channel, Publication pub) {
    Map<String, String> tags = pub.tags() == null ? Map.of() : pub.tags();
    JsonObject event = new JsonObject()
        .put("event", tags.getOrDefault(TAG_EVENT, DEFAULT_EVENT))
        .put("channel", PusherChannels.pusherName(channel))
        .put("data", dataString(pub));
    if (tags.containsKey(TAG_USER)) {
      event.put("user_id", tags.get(TAG_USER));
    }
    byte[] json = event.encode().getBytes(StandardCharsets.UTF_8);
    String exclude = tags.get(TAG_SOCKET);
    if (exclude == null && pub.info() != null) {
      exclude = pub.info().client();
    }
    byte[] frame = exclude == null || exclude.isEmpty() ? json : withHeader(EXCLUDING, List.of(exclude), json);
    return pub.offset() > 0
        ? withHeader(POSITIONED, List.of(Long.toString(pub.offset()), PusherChannels.pusherName(channel)), frame)
        : frame;
  }

  /** Pusher's {@code data} is a string: a JSON string as its value, any other JSON as its text. */
  static String dataString(Publication pub) {
    String text = pub.dataText();
    if (pub.json() && text.startsWith("\"")) {
      Object v = Json.decodeValue(text);
      if (v instanceof String s) {
        return s;
      }
    }
    return text;
  }

  @Override
  public byte[] joinPush(String channel, ClientInfo info) {
    JsonObject data = new JsonObject().put("user_id", info.user());
    if (info.chanInfo() != null) {
      data.put("user_info", Json.decodeValue(info.chanInfo()));
    }
    return member(MEMBER_ADDED, "pusher_internal:member_added", channel, info, data);
  }

  @Override
  public byte[] leavePush(String channel, ClientInfo info) {
    return member(MEMBER_REMOVED, "pusher_internal:member_removed", channel, info,
        new JsonObject().put("user_id", info.user()));
  }

  private static byte[] member(byte kind, String name, String channel, ClientInfo info, JsonObject data) {
    String pusherChannel = PusherChannels.pusherName(channel);
    byte[] json = new JsonObject().put("event", name).put("channel", pusherChannel).put("data", data.encode())
        .encode().getBytes(StandardCharsets.UTF_8);
    return withHeader(kind, List.of(info.client(), info.user(), pusherChannel), json);
  }

  /** {@code kind}, each field followed by a 0 byte (fields never contain one), then the JSON. */
  private static byte[] withHeader(byte kind, List<String> fields, byte[] json) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + 64);
    out.write(kind);
    for (String f : fields) {
      out.writeBytes(f.getBytes(StandardCharsets.UTF_8));
      out.write(0);
    }
    out.writeBytes(json);
    return out.toByteArray();
  }

  @Override
  public byte[] unsubscribePush(String channel, int code, String reason) {
    // Pusher has no server-side unsubscribe: the client is told by an error on that channel.
    return new JsonObject().put("event", "pusher:subscription_error")
        .put("channel", PusherChannels.pusherName(channel))
        .put("data", new JsonObject().put("type", "Unsubscribed").put("error", reason).put("status", code))
        .encode().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] subscribePush(String channel, SubscribeResult result) {
    return PusherEvents.subscriptionSucceeded(PusherChannels.pusherName(channel), null);
  }

  @Override
  public byte[] messagePush(byte[] data, boolean json) {
    return null; // Pusher has no message outside channels; the session drops it
  }

  @Override
  public byte[] disconnectPush(int code, String reason, boolean reconnect) {
    return PusherEvents.error(code, reason);
  }

  @Override
  public byte[] publication(Publication pub) {
    return publicationPush(pub.channel(), pub);
  }

  @Override
  public byte[] ping() {
    return PusherEvents.PING;
  }

  @Override
  public List<ClientCommand> decode(String message) {
    throw new BadMessageException("the Pusher session reads its own events");
  }

  @Override
  public List<ClientCommand> decode(Buffer message) {
    throw new BadMessageException("Pusher messages are text");
  }

  @Override
  public byte[] reply(long id, String method, ClientResult result) {
    throw new UnsupportedOperationException("Pusher has no command replies");
  }

  @Override
  public byte[] error(long id, ReplyError error) {
    throw new UnsupportedOperationException("Pusher has no command replies");
  }

  @Override
  public ByteBuf message(byte[] frame) {
    return Unpooled.wrappedBuffer(frame);
  }

  /** Pusher sends one event per WebSocket message: never joined (see {@link #joinedLength}). */
  @Override
  public ByteBuf join(byte[][] frames, int from, int to) {
    throw new UnsupportedOperationException("Pusher events are never joined");
  }

  @Override
  public int joinedLength(int frameLength, boolean first) {
    return first ? frameLength : Integer.MAX_VALUE / 2;
  }
}
