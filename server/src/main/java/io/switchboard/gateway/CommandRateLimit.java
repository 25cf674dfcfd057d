package io.switchboard.gateway;

/**
 * A connection's command rate limit: a token bucket of {@code command_burst} tokens refilled at
 * {@code command_rate} per second, one token per command. A client refused more times in a row than the burst
 * is closed. The limits are the node's and are passed in, not kept per connection.
 */
final class CommandRateLimit {
  /** What to do with a command. */
  enum Verdict {
    /** Run it. */
    RUN,
    /** Refuse it (error 111 when it has an id). */
    REFUSE,
    /** Refused too often in a row: close with 3013. */
    DISCONNECT
  }

  private double tokens;
  private long lastRefill;
  /** Commands refused since the last one that ran. */
  private int refused;

  /** A full bucket at {@code nowNanos}. */
  CommandRateLimit(int burst, long nowNanos) {
    this.tokens = burst;
    this.lastRefill = nowNanos;
  }

  /**
   * Whether the bucket has refilled to the burst by {@code nowNanos}: then it acts as a new one would (its next
   * command runs, and that resets the refusals), so the session may drop it.
   */
  boolean full(int ratePerSecond, int burst, long nowNanos) {
    return tokens + (nowNanos - lastRefill) * ratePerSecond / 1e9 >= burst;
  }

  Verdict take(int ratePerSecond, int burst, long nowNanos) {
    tokens = Math.min(burst, tokens + (nowNanos - lastRefill) * ratePerSecond / 1e9);
    lastRefill = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      refused = 0;
      return Verdict.RUN;
    }
    return ++refused > burst ? Verdict.DISCONNECT : Verdict.REFUSE;
  }
}
