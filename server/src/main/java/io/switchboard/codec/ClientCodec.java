package io.switchboard.codec;

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

  /** Whether its messages travel as binary WebSocket messages (Protobuf) rather than text (JSON). */
  boolean binary();

  // ---- pushes (server to client, fan-out) --------------------------------------------------------------

  // ---- commands, replies and framing ---------------------------------------------------------------------
}
