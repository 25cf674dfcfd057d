package io.switchboard.codec.json;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.codec.BadMessageException;
import io.switchboard.codec.ClientCodec;
import io.switchboard.model.ClientInfo;
import io.switchboard.model.Publication;
import io.switchboard.protocol.ClientCommand;
import io.switchboard.protocol.ClientResult;
import io.switchboard.protocol.ConnectResult;
import io.switchboard.protocol.ReplyError;
import io.switchboard.protocol.SubscribeResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Centrifugo's unidirectional JSON protocol (uni_websocket, uni_sse, uni_http_stream): the server sends bare
 * {@code Push} objects, without the {@code {"push":…}} wrapper of a reply, starting with a {@code connect} push
 * that carries the connect result; the client sends one message, its {@code ConnectRequest} object, and nothing
 * after it. Pings are the empty push {@code {}}.
 *
 * <p>A push here is the JSON protocol's push without its wrapper, so the pushes are made by {@link JsonCodec}
 * and unwrapped (one copy per encoded frame, shared by every uni subscriber like any frame): both shapes come
 * from one encoder and cannot drift apart.
 */
public final class UniJsonCodec implements ClientCodec {
  public static final UniJsonCodec INSTANCE = new UniJsonCodec();

  private static final JsonCodec JSON = JsonCodec.INSTANCE;
  /** What the JSON protocol puts around a push: {@code {"push":} before it and {@code }} after it. */
  private static final byte[] WRAPPER_HEAD = "{\"push\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] PING = {'{', '}'};

  private UniJsonCodec() {}

  @Override
  public String name() {
    return "uni_json";
  }

  @Override
  public int slot() {
    return 2;
  }

  @Override
  public boolean binary() {
    return false;
  }

  @Override
  public boolean unidirectional() {
    return true;
  }

  // ---- pushes ----------------------------------------------------------------------------------------------

  @Override
  public byte[] publicationPush(String channel, Publication pub) {
    return unwrap(JSON.publicationPush(channel, pub));
  }

  @Override
  public byte[] joinPush(String channel, ClientInfo info) {
    return unwrap(JSON.joinPush(channel, info));
  }

  @Override
  public byte[] leavePush(String channel, ClientInfo info) {
    return unwrap(JSON.leavePush(channel, info));
  }

  @Override
  public byte[] unsubscribePush(String channel, int code, String reason) {
    return unwrap(JSON.unsubscribePush(channel, code, reason));
  }

  @Override
  public byte[] subscribePush(String channel, SubscribeResult result) {
    return unwrap(JSON.subscribePush(channel, result));
  }

  @Override
  public byte[] messagePush(byte[] data, boolean json) {
    return unwrap(JSON.messagePush(data, json));
  }

  /** {@code {"disconnect":{"code":C,"reason":R}}}: Centrifugo's uni transports send no {@code reconnect}. */
  @Override
  public byte[] disconnectPush(int code, String reason, boolean reconnect) {
    return new JsonObject().put("disconnect", new JsonObject().put("code", code).put("reason", reason))
        .encode().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] publication(Publication pub) {
    return JSON.publication(pub);
  }

  @Override
  public byte[] ping() {
    return PING;
  }

  /** The push object inside a JSON protocol push frame. */
  static byte[] unwrap(byte[] frame) {
    int head = WRAPPER_HEAD.length;
    if (frame.length < head + 2 || !Arrays.equals(frame, 0, head, WRAPPER_HEAD, 0, head)
        || frame[frame.length - 1] != '}') {
      throw new IllegalStateException("not a JSON protocol push frame");
    }
    return Arrays.copyOfRange(frame, head, frame.length - 1);
  }

  // ---- the connect request and its push ----------------------------------------------------------------------

  private static final BadMessageException NOT_A_CONNECT_REQUEST =
      new BadMessageException("not a connect request object");

  /**
   * The one message a uni client sends: its {@code ConnectRequest} object (JSON {@code null} counts as an
   * empty one, as in Centrifugo), read as the command {@code connect} with id 1. Anything else, including a
   * field of the wrong type, is unreadable: a uni client has no error replies to read, so it is refused whole
   * (HTTP 400 before the stream starts, or close 3501 on uni_websocket).
   */
  @Override
  public List<ClientCommand> decode(String message) {
    JsonObject params;
    try {
      Object value = Json.decodeValue(message);
      if (value == null) {
        params = new JsonObject();
      } else if (value instanceof JsonObject o) {
        params = o;
      } else {
        throw NOT_A_CONNECT_REQUEST;
      }
    } catch (DecodeException e) {
      throw NOT_A_CONNECT_REQUEST;
    }
    ClientCommand connect = JsonRequests.command(1, "connect", params);
    if (connect.decodeFailure() != null) {
      throw new BadMessageException(connect.decodeFailure().getMessage());
    }
    return List.of(connect);
  }

  private static final BadMessageException BINARY = new BadMessageException("binary message to a JSON protocol");

  @Override
  public List<ClientCommand> decode(Buffer message) {
    throw BINARY;
  }

  /**
   * The connect result as the {@code connect} push, without {@code pong} (a uni client never answers pings).
   * Connect is the only command a uni session runs, so it is the only reply there is.
   */
  @Override
  public byte[] reply(long id, String method, ClientResult result) {
    if (!(result instanceof ConnectResult r)) {
      throw new IllegalStateException("a unidirectional session answers nothing but connect, not " + method);
    }
    JsonObject connect = JsonReplies.connect(r);
    connect.remove("pong");
    return new JsonObject().put("connect", connect).encode().getBytes(StandardCharsets.UTF_8);
  }

  /** Never called: the gateway turns a failed uni connect into a disconnect (push), the only answer there is. */
  @Override
  public byte[] error(long id, ReplyError error) {
    throw new IllegalStateException("a unidirectional session has no error replies (" + error.code() + ")");
  }

  // ---- framing -----------------------------------------------------------------------------------------------
  // Every push is a transport message of its own: one WebSocket message, one SSE event, one line of the HTTP
  // stream, as Centrifugo's uni transports send them and as their clients parse them (JSON.parse(event.data)).
  // A frame never fits behind another (joinedLength says so), so the session's writer hands each to the
  // transport alone and join is never needed; the transport adds its own framing (SSE's "data: ", a newline).

  @Override
  public ByteBuf message(byte[] frame) {
    return Unpooled.wrappedBuffer(frame);
  }

  /** Newline-joined, as Centrifugo's {@code join_push_messages} would; the writer never asks (see above). */
  @Override
  public ByteBuf join(byte[][] frames, int from, int to) {
    return NewlineJoin.join(frames, from, to);
  }

  @Override
  public int joinedLength(int frameLength, boolean first) {
    return first ? frameLength : Integer.MAX_VALUE;
  }
}
