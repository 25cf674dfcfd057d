package io.switchboard.model;

/**
 * The application backend said no (docs/proxy.md): either an error for the request ({@code ERROR}: code,
 * message, temporary) or the connection must close ({@code DISCONNECT}: code, reason). The codes are the
 * backend's, in Centrifugo's numbering: the Centrifugo front end passes them on as they are.
 */
public final class BackendRefusal extends RuntimeException {
  public enum Kind { ERROR, DISCONNECT }

  private final Kind kind;
  private final int code;
  private final boolean temporary;

  public BackendRefusal(Kind kind, int code, String message, boolean temporary) {
    super(message, null, false, false);
    this.kind = kind;
    this.code = code;
    this.temporary = temporary;
  }

  public Kind kind() {
    return kind;
  }

  public int code() {
    return code;
  }

  public boolean temporary() {
    return temporary;
  }
}
