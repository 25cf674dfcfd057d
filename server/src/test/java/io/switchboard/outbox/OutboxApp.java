package io.switchboard.outbox;

import io.switchboard.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Plays the application in outbox tests: plain JDBC transactions on the server's database. */
final class OutboxApp {
  private final TestPostgres.Db db;

  OutboxApp(TestPostgres.Db db) {
    this.db = db;
  }

  /** A connection with autocommit off: the caller commits or rolls back. */
  Connection begin() throws SQLException {
    Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    c.setAutoCommit(false);
    return c;
  }

  static void insert(Connection c, String channel, String data, String key, String tags) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO switchboard_outbox (channel, data, idempotency_key, tags) VALUES (?, ?::json, ?, ?::jsonb)")) {
      ps.setString(1, channel);
      ps.setString(2, data);
      ps.setString(3, key);
      ps.setString(4, tags);
      ps.executeUpdate();
    }
  }

  /** Inserts rows of one channel in one committed transaction. */
  void commit(String channel, String... data) throws SQLException {
    try (Connection c = begin()) {
      for (String d : data) {
        insert(c, channel, d, null, null);
      }
      c.commit();
    }
  }

  void commitKeyed(String channel, String data, String key) throws SQLException {
    try (Connection c = begin()) {
      insert(c, channel, data, key, null);
      c.commit();
    }
  }

  long count(String sql, Object... args) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  List<List<Object>> rows(String sql, Object... args) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      List<List<Object>> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<Object> row = new ArrayList<>();
          for (int i = 1; i <= n; i++) {
            row.add(rs.getObject(i));
          }
          out.add(row);
        }
      }
      return out;
    }
  }

  /** Waits (bounded) until {@code condition} holds. */
  static void await(String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.currentTimeMillis() + 15_000;
    while (!condition.call()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }
}
