package io.switchboard.protocol;

/**
 * WebSocket close codes of the protocol. 3000-3499 and 4000-4499 make the SDKs reconnect; 3500-3999 and
 * 4500-4999 are terminal. The reason must never be empty: centrifuge-js treats an empty reason as a
 * transport drop and reconnects even on terminal codes.
 */
public enum DisconnectCode {
  SHUTDOWN(3001, "shutdown"),
  INTERNAL(3004, "internal server error"),
  CONNECTION_EXPIRED(3005, "connection expired"),
  SUBSCRIPTION_EXPIRED(3006, "subscription expired"),
  SLOW(3008, "slow"),
  WRITE_ERROR(3009, "write error"),
  INSUFFICIENT_STATE(3010, "insufficient state"),
  FORCE_RECONNECT(3011, "force reconnect"),
  NO_PONG(3012, "no pong"),
  TOO_MANY_REQUESTS(3013, "too many requests"),
  INVALID_TOKEN(3500, "invalid token"),
  BAD_REQUEST(3501, "bad request"),
  STALE(3502, "stale"),
  FORCE_DISCONNECT(3503, "force disconnect"),
  CONNECTION_LIMIT(3504, "connection limit"),
  CHANNEL_LIMIT(3505, "channel limit"),
  INAPPROPRIATE_PROTOCOL(3506, "inappropriate protocol"),
  PERMISSION_DENIED(3507, "permission denied"),
  NOT_AVAILABLE(3508, "not available"),
  TOO_MANY_ERRORS(3509, "too many errors"),
  MESSAGE_TOO_BIG(1009, "message too big");

  public final short code;
  public final String reason;

  DisconnectCode(int code, String reason) {
    this.code = (short) code;
    this.reason = reason;
  }

  public boolean reconnect() {
    return reconnects(code);
  }

  /** Whether the SDKs reconnect after a disconnect with {@code code} (the {@code reconnect} of a disconnect push). */
  public static boolean reconnects(int code) {
    return (code >= 3000 && code < 3500) || (code >= 4000 && code < 4500) || (code < 3000 && code != 1009);
  }
}
