package io.switchboard.protocol;

import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;

/** Reply error codes of the Centrifugo client protocol (and of the server API), in one place. */
public enum ErrorCode {
  INTERNAL(100, "internal server error", true),
  UNAUTHORIZED(101, "unauthorized", false),
  UNKNOWN_CHANNEL(102, "unknown channel", false),
  PERMISSION_DENIED(103, "permission denied", false),
  METHOD_NOT_FOUND(104, "method not found", false),
  ALREADY_SUBSCRIBED(105, "already subscribed", false),
  LIMIT_EXCEEDED(106, "limit exceeded", false),
  BAD_REQUEST(107, "bad request", false),
  NOT_AVAILABLE(108, "not available", false),
  TOKEN_EXPIRED(109, "token expired", false),
  EXPIRED(110, "expired", false),
  TOO_MANY_REQUESTS(111, "too many requests", true),
  UNRECOVERABLE_POSITION(112, "unrecoverable position", false);

  public final int code;
  public final String message;
  public final boolean temporary;

  ErrorCode(int code, String message, boolean temporary) {
    this.code = code;
    this.message = message;
    this.temporary = temporary;
  }

  public ReplyError error() {
    return new ReplyError(code, message, temporary);
  }

  /** The Centrifugo code of a core failure: the two lists have the same names. */
  public static ErrorCode of(Failure failure) {
    return valueOf(failure.name());
  }

  /** The reply error for a core refusal, with its detail appended to the message. */
  public static ReplyError reply(CoreException e) {
    return of(e.failure()).error(e.detail());
  }

  public ReplyError error(String detail) {
    return new ReplyError(code, detail == null || detail.isEmpty() ? message : message + ": " + detail, temporary);
  }
}
