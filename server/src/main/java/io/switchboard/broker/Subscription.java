package io.switchboard.broker;

/**
 * One connection's subscription to one channel, confined to the connection's event loop. It receives live
 * pushes only once {@code live}: until then the subscribe reply (with any recovered publications) has not
 * been written, and the reply must go out before any push.
 */
public final class Subscription {
  public final String channel;
  public final Subscriber owner;
  /** Whether join/leave pushes go to this subscriber. */
  public final boolean joinLeave;
  boolean live;
  boolean removed;
  /** Epoch seconds when a subscription token expires; 0 = never. Written by the gateway. */
  public long expireAt;
  /** Raw JSON channel info from a subscription token, or null. */
  public String chanInfo;

  public Subscription(String channel, Subscriber owner, boolean joinLeave) {
    this.channel = channel;
    this.owner = owner;
    this.joinLeave = joinLeave;
  }

  public boolean live() {
    return live;
  }
}
