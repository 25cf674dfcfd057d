package io.switchboard.codec.json;

import io.switchboard.codec.ClientCodec;

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
}
