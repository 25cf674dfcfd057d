package io.switchboard.broker;

/**
 * What a subscriber asks for about the stream. {@code positioned}/{@code recoverable} are already combined
 * with the namespace's force_* options. {@code recover} asks for the publications after {@code offset} in
 * {@code epoch}.
 */
public record RecoveryRequest(boolean positioned, boolean recoverable, boolean recover, long offset, String epoch) {
  public static final RecoveryRequest NONE = new RecoveryRequest(false, false, false, 0, "");
}
