package io.switchboard.codec;

import io.switchboard.model.ClientInfo;
import io.switchboard.model.Publication;

/**
 * One wire format of the Centrifugo client protocol (JSON now, Protobuf next). A codec is stateless and shared
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

  /** Whether its messages travel as binary WebSocket messages (Protobuf) rather than text (JSON). */
  boolean binary();

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

  /** An asynchronous message to the connection, outside channels; {@code data} as publication data. */
  byte[] messagePush(byte[] data, boolean json);

  /** Tells the client why it is about to be disconnected and whether to reconnect. */
  byte[] disconnectPush(int code, String reason, boolean reconnect);

  /** A publication as it appears inside history and recovery results (a part of a reply, not a frame). */
  byte[] publication(Publication pub);

  /** The server's ping. */
  byte[] ping();

  // ---- commands, replies and framing ---------------------------------------------------------------------
}
