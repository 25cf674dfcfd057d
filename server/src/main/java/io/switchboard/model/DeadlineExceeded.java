package io.switchboard.model;

/**
 * PostgreSQL did not answer within its deadline ({@code postgres.statement_timeout}): hung, overloaded or cut
 * off. What the statement did is unknown: it may still commit when the server wakes up. Front ends answer
 * internal error (100) to clients and HTTP 503 to the server API. No stack trace: it says all there is.
 */
public final class DeadlineExceeded extends RuntimeException {
  public DeadlineExceeded(String what, long millis) {
    super(what + ": no answer from PostgreSQL within " + millis + " ms", null, false, false);
  }
}
