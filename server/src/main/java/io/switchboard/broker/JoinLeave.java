package io.switchboard.broker;

import io.switchboard.codec.ClientCodec;
import io.switchboard.model.ClientInfo;

/**
 * A client joined ({@code join}) or left a channel: pushed to the subscribers that asked for join/leave, and,
 * between nodes, the presence change too.
 */
public record JoinLeave(String channel, boolean join, ClientInfo info) {

  /** Its push frame in {@code codec}. */
  public byte[] encode(ClientCodec codec) {
    return join ? codec.joinPush(channel, info) : codec.leavePush(channel, info);
  }

  /** The event with its frames, one per codec, shared by the event loops of this node. */
  static final class Encoded extends CodecFrames {
    private final JoinLeave event;

    Encoded(JoinLeave event) {
      this.event = event;
    }

    @Override
    byte[] encode(ClientCodec codec) {
      return event.encode(codec);
    }
  }
}
