package io.switchboard.gateway;

/** Seconds a token has left, as results tell it: at least 1, so that a client never reads "0 = no expiry". */
final class Ttl {
  private Ttl() {}

  /** {@code expireAt}: epoch seconds, > 0. */
  static long of(long expireAt) {
    return Math.max(1, expireAt - System.currentTimeMillis() / 1000);
  }
}
