package io.switchboard.codec;

import io.netty.buffer.ByteBuf;
import io.switchboard.model.ClientInfo;
import io.switchboard.model.Publication;
import io.switchboard.protocol.ClientCommand;
import io.switchboard.protocol.ClientResult;
import io.switchboard.protocol.ReplyError;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * One wire format of the Centrifugo client protocol (JSON, Protobuf). A codec is stateless and shared
 * by every session that speaks it. It turns transport messages into commands, replies and pushes into frames,
 * and joins several frames into one transport message.
 */
public interface ClientCodec {

  /** The protocol name, as in {@code cf_protocol}: {@code json}, {@code protobuf}. */
  String name();

  /**
   * This codec's index in per-codec caches (a delivery keeps one encoded frame per codec): 0 for JSON, 1 for
   * Protobuf. Dense and small.
   */
  int slot();

  /** Codec slots there are: every {@link #slot()} is below this. */
  int SLOTS = 4;

  /**
   * Whether its messages travel as binary WebSocket messages (Protobuf) rather than text (JSON). A binary codec
   * also carries any bytes as data, where a text one carries JSON only (the binary-data rule).
   */
  boolean binary();

  /**
   * Whether it speaks a unidirectional transport (uni_websocket, uni_sse, uni_http_stream): the client sends
   * only its connect request and never a pong, the connect reply is a push, and a session that ends (or whose
   * connect fails) tells the client why with a disconnect push, as Centrifugo does on those transports.
   */
  default boolean unidirectional() {
    return false;
  }

  // ---- pushes (server to client, fan-out) --------------------------------------------------------------
  // Each returns encoded bytes: a whole frame, except publication(). A frame may go to many connections (a
  // delivery encodes a publication once per codec and shares the result), so nobody modifies the array.

  /** A publication pushed live to the subscribers of {@code channel}. */
  byte[] publicationPush(String channel, Publication pub);

  /** A client joined {@code channel} (to the subscribers that asked for join/leave). */
  byte[] joinPush(String channel, ClientInfo info);

  /** A client left {@code channel}. */
  byte[] leavePush(String channel, ClientInfo info);

  /** The server ended a subscription (from 2500 on, the client subscribes again). */
  byte[] unsubscribePush(String channel, int code, String reason);

  /** A server-side subscribe (server API, another node's action) with its result, before any publication. */
  byte[] subscribePush(String channel, io.switchboard.protocol.SubscribeResult result);

  /** An asynchronous message to the connection, outside channels; {@code data} as publication data. */
  byte[] messagePush(byte[] data, boolean json);

  /** Tells the client why it is about to be disconnected and whether to reconnect. */
  byte[] disconnectPush(int code, String reason, boolean reconnect);

  /** A publication as it appears inside history and recovery results (a part of a reply, not a frame). */
  byte[] publication(Publication pub);

  /** The server's ping. */
  byte[] ping();

  // ---- commands, replies and framing ---------------------------------------------------------------------

  /**
   * The commands of one text message, in order (a pong as {@link ClientCommand#PONG}). Throws
   * {@link BadMessageException} when the message cannot be read; a codec of binary messages refuses text.
   */
  List<ClientCommand> decode(String message);

  /** As {@link #decode(String)}, for a binary message; a codec of text messages refuses binary ones. */
  List<ClientCommand> decode(Buffer message);

  /** The reply frame to command {@code id} of {@code method}. */
  byte[] reply(long id, String method, ClientResult result);

  /** The error reply frame to command {@code id}. */
  byte[] error(long id, ReplyError error);

  /** One transport message carrying {@code frame} alone, without copying it. */
  ByteBuf message(byte[] frame);

  /** One transport message carrying {@code frames[from, to)} in order (at least two), without copying them. */
  ByteBuf join(byte[][] frames, int from, int to);

  /**
   * How many bytes a frame of {@code frameLength} adds to a joined message ({@code first}: it opens the
   * message), delimiter included. Writers use it to cut coalesced output into messages of a bounded size.
   */
  int joinedLength(int frameLength, boolean first);
}
