package io.switchboard.auth;

/**
 * A token that cannot be accepted. {@link Kind#INVALID} maps to Centrifugo's "invalid token" (disconnect 3500
 * on connect, error 103/permission or disconnect on subscribe), {@link Kind#EXPIRED} to "token expired" (error
 * 109, after which SDKs fetch a fresh token). No stack trace: bad tokens are an input, not a bug.
 */
public final class TokenException extends RuntimeException {
  public enum Kind { INVALID, EXPIRED }

  private final Kind kind;

  public TokenException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  static TokenException invalid(String message) {
    return new TokenException(Kind.INVALID, message);
  }

  static TokenException expired(String message) {
    return new TokenException(Kind.EXPIRED, message);
  }
}
