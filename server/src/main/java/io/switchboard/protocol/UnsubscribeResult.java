package io.switchboard.protocol;

/** {@code unsubscribe}: empty. */
public record UnsubscribeResult() implements ClientResult {
  public static final UnsubscribeResult INSTANCE = new UnsubscribeResult();
}
