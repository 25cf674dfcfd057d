package io.switchboard.notify.push;

import io.switchboard.storage.JdbcTarget;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The sender's side of the push tables, over one JDBC connection in autocommit mode: every method is one
 * statement, so each decision is committed the moment it returns. Blocking: only the push worker calls it.
 * Not thread-safe (one per sender verticle instance).
 */
final class PushJobStore implements AutoCloseable {
  static final int QUERY_TIMEOUT_SECONDS = 10;

  record Job(long id, String user, String channel, long offset, String payload, int attempts, Instant createdAt) {}

  record Subscription(long id, String endpoint, String p256dh, String auth) {}

  private final JdbcTarget target;
  private Connection conn;

  PushJobStore(JdbcTarget target) {
    this.target = target;
  }

  private Connection conn() throws SQLException {
    if (conn == null || conn.isClosed()) {
      conn = DriverManager.getConnection(target.url(), target.user(), target.password());
      conn.setAutoCommit(true);
    }
    return conn;
  }

  /** Drops the connection after an error; the next call reconnects. */
  void reset() {
    close();
  }

  /**
   * Claims up to {@code limit} due jobs that no live lease holds: they become this sender's until
   * {@code now() + lease}, and their attempt count goes up (a job that keeps crashing its sender still ends).
   * Concurrent claimers skip each other's locked rows.
   */
  List<Job> claim(int limit, Duration lease) throws SQLException {
    String sql = "UPDATE push_jobs SET claimed_until = now() + ?::interval, attempts = attempts + 1 "
        + "WHERE id IN (SELECT id FROM push_jobs WHERE next_attempt_at <= now() "
        + "AND (claimed_until IS NULL OR claimed_until <= now()) ORDER BY next_attempt_at, id LIMIT ? "
        + "FOR UPDATE SKIP LOCKED) "
        + "RETURNING id, user_id, channel, \"offset\", payload, attempts, created_at";
    try (PreparedStatement ps = conn().prepareStatement(sql)) {
      ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
      ps.setString(1, lease.toMillis() + " milliseconds");
      ps.setInt(2, limit);
      List<Job> jobs = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          jobs.add(new Job(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
              rs.getInt(6), rs.getTimestamp(7).toInstant()));
        }
      }
      jobs.sort(java.util.Comparator.comparingLong(Job::id));
      return jobs;
    }
  }

  /** The user's subscriptions this job has not dealt with yet. */
  List<Subscription> pendingSubscriptions(Job job) throws SQLException {
    String sql = "SELECT s.id, s.endpoint, s.p256dh, s.auth FROM push_subscriptions s WHERE s.user_id = ? "
        + "AND NOT EXISTS (SELECT 1 FROM push_job_deliveries d WHERE d.job_id = ? AND d.subscription_id = s.id) "
        + "ORDER BY s.id";
    try (PreparedStatement ps = conn().prepareStatement(sql)) {
      ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
      ps.setString(1, job.user());
      ps.setLong(2, job.id());
      List<Subscription> subs = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          subs.add(new Subscription(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
        }
      }
      return subs;
    }
  }

  /** Records that the push service answered for this (job, subscription): it is never posted again. */
  void markDone(long jobId, long subscriptionId, String outcome) throws SQLException {
    update("INSERT INTO push_job_deliveries (job_id, subscription_id, outcome) VALUES (?, ?, ?) "
        + "ON CONFLICT DO NOTHING", jobId, subscriptionId, outcome);
  }

  /** 404/410: the subscription is gone for good (its delivery records go with it). */
  void deleteSubscription(long subscriptionId) throws SQLException {
    update("DELETE FROM push_subscriptions WHERE id = ?", subscriptionId);
  }

  /** The job is finished (every subscription answered, or it was given up). */
  void deleteJob(long jobId) throws SQLException {
    update("DELETE FROM push_jobs WHERE id = ?", jobId);
  }

  /** Releases the lease and schedules the next attempt {@code delay} from now. */
  void reschedule(long jobId, Duration delay) throws SQLException {
    update("UPDATE push_jobs SET claimed_until = NULL, next_attempt_at = now() + ?::interval WHERE id = ?",
        delay.toMillis() + " milliseconds", jobId);
  }

  /** Gives a claimed job back untouched (its lease was too short to start another send). */
  void release(long jobId) throws SQLException {
    update("UPDATE push_jobs SET claimed_until = NULL, attempts = greatest(attempts - 1, 0) WHERE id = ?", jobId);
  }

  /** {count, age of the oldest in ms} of the whole queue. */
  long[] queueStats() throws SQLException {
    try (PreparedStatement ps = conn().prepareStatement(
        "SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)) * 1000, 0)::bigint FROM push_jobs")) {
      ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  private void update(String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = conn().prepareStatement(sql)) {
      ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      ps.executeUpdate();
    }
  }

  @Override
  public void close() {
    if (conn != null) {
      try {
        conn.close();
      } catch (SQLException ignored) {
        // closing after an error
      }
      conn = null;
    }
  }
}
