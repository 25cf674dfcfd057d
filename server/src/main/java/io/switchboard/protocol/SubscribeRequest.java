package io.switchboard.protocol;

/**
 * {@code subscribe}, and one entry of {@link ConnectRequest#subs()} (channel "" there: the map key names it).
 * {@code token} and {@code epoch} may be null; {@code offset} is as sent (clamped at 0 when used).
 */
public record SubscribeRequest(String channel, String token, boolean recover, String epoch, long offset,
    boolean positioned, boolean recoverable, boolean joinLeave) implements ClientRequest {

  /** The recovery position of a server-side subscription, as named in connect's {@code subs}. */
  public static SubscribeRequest recovery(boolean recover, long offset, String epoch) {
    return new SubscribeRequest("", null, recover, epoch, offset, false, false, false);
  }
}
