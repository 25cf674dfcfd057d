package io.switchboard.storage;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Where a JDBC tool (Flyway, the push workers) connects. Only blocking code uses this; the server itself talks
 * to PostgreSQL through the reactive pool. {@link #toString()} never shows the password.
 */
public record JdbcTarget(String url, String user, String password) {

  /**
   * The same target with pgjdbc's timeouts in its URL: {@code connect} for the TCP connect, {@code socket} for
   * any read (a hung server answers nothing, and PostgreSQL's own statement_timeout cannot fire), and, unless
   * null, {@code statement} as the session's {@code statement_timeout}. pgjdbc counts the first two in whole
   * seconds: they are rounded up.
   */
  public JdbcTarget withTimeouts(Duration connect, Duration socket, Duration statement) {
    StringBuilder u = new StringBuilder(url).append(url.indexOf('?') < 0 ? '?' : '&')
        .append("connectTimeout=").append(seconds(connect))
        .append("&socketTimeout=").append(seconds(socket));
    if (statement != null) {
      u.append("&options=").append(URLEncoder.encode("-c statement_timeout=" + Math.max(1, statement.toMillis()),
          StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return new JdbcTarget(u.toString(), user, password);
  }

  private static long seconds(Duration d) {
    return Math.max(1, (d.toMillis() + 999) / 1000);
  }

  @Override
  public String toString() {
    String shown = password == null || password.isEmpty() ? "" : "***";
    return "JdbcTarget[url=" + url + ", user=" + user + ", password=" + shown + "]";
  }
}
