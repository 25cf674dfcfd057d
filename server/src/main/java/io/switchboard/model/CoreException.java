package io.switchboard.model;

/**
 * A request refused by the core (or a check below it) for a {@link Failure} reason, with an optional detail
 * for people ("channel required"). Front ends turn it into their protocol's error; anything else failing a
 * request is {@link Failure#INTERNAL}.
 */
public final class CoreException extends RuntimeException {
  private final Failure failure;
  private final String detail;

  public CoreException(Failure failure) {
    this(failure, null);
  }

  public CoreException(Failure failure, String detail) {
    super(detail == null ? failure.name() : failure.name() + ": " + detail, null, false, false);
    this.failure = failure;
    this.detail = detail;
  }

  public Failure failure() {
    return failure;
  }

  /** Extra words for the error message, or null. */
  public String detail() {
    return detail;
  }
}
