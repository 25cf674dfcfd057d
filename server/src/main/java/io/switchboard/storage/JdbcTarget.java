package io.switchboard.storage;

/**
 * Where a JDBC tool (Flyway) connects. Only blocking code uses this; the server itself talks to PostgreSQL
 * through the reactive pool. {@link #toString()} never shows the password.
 */
public record JdbcTarget(String url, String user, String password) {

  @Override
  public String toString() {
    return "JdbcTarget[url=" + url + ", user=" + user + ", password=" + (password == null || password.isEmpty() ? "" : "***")
        + "]";
  }
}
