package io.switchboard.codec;

/**
 * A transport message that a codec cannot read: not its format, not well-formed, or a command that is not an
 * object. The session closes with 3501. Thrown often by a misbehaving client, so it has no stack trace.
 */
public final class BadMessageException extends RuntimeException {

  public BadMessageException(String message) {
    super(message, null, false, false);
  }
}
