package io.switchboard.storage;

/**
 * Where a JDBC tool (Flyway) connects. Only blocking code uses this; the server itself talks to PostgreSQL
 * through the reactive pool. {@link #toString()} never shows the password.
 */
public record JdbcTarget(String url, String user, String password) {

  @Override
  public String toString() {
    String shown = password == null || password.isEmpty() ? "" : "***";
    return "JdbcTarget[url=" + url + ", user=" + user + ", password=" + shown + "]";
  }
}
