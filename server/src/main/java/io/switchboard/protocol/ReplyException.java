package io.switchboard.protocol;

/** A failure that carries a protocol error; anything else failing a command becomes error 100. */
public final class ReplyException extends RuntimeException {
  private final ReplyError error;

  public ReplyException(ReplyError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public ReplyException(ErrorCode code) {
    this(code.error());
  }

  public ReplyException(ErrorCode code, String detail) {
    this(code.error(detail));
  }

  public ReplyError error() {
    return error;
  }
}
