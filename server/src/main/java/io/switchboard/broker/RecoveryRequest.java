package io.switchboard.broker;

/**
 * What a subscriber asks for about the stream. {@code positioned}/{@code recoverable} are already combined
 * with the namespace's force_* options. {@code recover} asks for the publications after {@code offset} in
 * {@code epoch}.
 */
public record RecoveryRequest(boolean positioned, boolean recoverable, boolean recover, long offset, String epoch) {
  public static final RecoveryRequest NONE = new RecoveryRequest(false, false, false, 0, "");

  /**
   * A server-side subscription (from the connect token, the personal channel or the server API): positioned
   * and recoverable whenever the namespace keeps history; {@code recover} from {@code offset} in {@code epoch}.
   */
  public static RecoveryRequest serverSide(io.switchboard.config.NamespaceOptions ns, boolean recover, long offset,
      String epoch) {
    if (!ns.history()) {
      return NONE;
    }
    return new RecoveryRequest(true, true, recover, Math.max(0, offset), epoch == null ? "" : epoch);
  }
}
