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

  /**
   * A claimed job: for an inbox notification {@code user}, {@code channel} and {@code offset} are set and it goes
   * to every device of the user; for a send, {@code deviceIds} lists its devices.
   */
  record Job(long id, String user, String channel, long offset, List<String> deviceIds, String payload, String tag,
      int attempts, Instant createdAt, Instant expireAt) {}

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
        + "RETURNING id, user_id, channel, \"offset\", device_ids, payload, tag, attempts, created_at, expire_at";
    try (PreparedStatement ps = conn().prepareStatement(sql)) {
      ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
      ps.setString(1, lease.toMillis() + " milliseconds");
      ps.setInt(2, limit);
      List<Job> jobs = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          java.sql.Array ids = rs.getArray(5);
          jobs.add(new Job(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
              ids == null ? null : List.of((String[]) ids.getArray()), rs.getString(6), rs.getString(7),
              rs.getInt(8), rs.getTimestamp(9).toInstant(), rs.getTimestamp(10).toInstant()));
        }
      }
      jobs.sort(java.util.Comparator.comparingLong(Job::id));
      return jobs;
    }
  }

  /** The job's devices it has not dealt with yet (a device deleted or moved to another user meanwhile is gone). */
  List<PushDevice> pendingDevices(Job job) throws SQLException {
    String which = job.deviceIds() == null ? "d.user_id = ?" : "d.id = ANY (?)";
    String sql = "SELECT d.id, d.user_id, d.platform, d.token, d.p256dh, d.auth FROM push_devices d WHERE " + which
        + " AND NOT EXISTS (SELECT 1 FROM push_job_devices j WHERE j.job_id = ? AND j.device_id = d.id) "
        + "ORDER BY d.id";
    try (PreparedStatement ps = conn().prepareStatement(sql)) {
      ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
      if (job.deviceIds() == null) {
        ps.setString(1, job.user());
      } else {
        ps.setArray(1, conn().createArrayOf("text", job.deviceIds().toArray()));
      }
      ps.setLong(2, job.id());
      List<PushDevice> devices = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          devices.add(new PushDevice(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getString(6)));
        }
      }
      return devices;
    }
  }

  /** Unread notifications of the user's inbox channel (the same count as the {@code unread} RPCs): the badge. */
  long unread(String user, String channel) throws SQLException {
    String sql = "SELECT count(*) FROM publications p WHERE p.channel = ? AND p.\"offset\" > "
        + "COALESCE((SELECT \"offset\" FROM read_positions WHERE user_id = ? AND channel = ?), 0) "
        + "AND p.\"offset\" <= COALESCE((SELECT top FROM streams WHERE channel = ?), 0) AND NOT EXISTS "
        + "(SELECT 1 FROM notification_reads r WHERE r.user_id = ? AND r.channel = ? AND r.\"offset\" = p.\"offset\")";
    try (PreparedStatement ps = conn().prepareStatement(sql)) {
      ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
      ps.setString(1, channel);
      ps.setString(2, user);
      ps.setString(3, channel);
      ps.setString(4, channel);
      ps.setString(5, user);
      ps.setString(6, channel);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Records that these devices were dealt with for this job (one statement): they are never posted again. */
  void markDone(long jobId, List<String> deviceIds, String outcome) throws SQLException {
    if (deviceIds.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = conn().prepareStatement("INSERT INTO push_job_devices (job_id, device_id, outcome) "
        + "SELECT ?, v.id, ? FROM unnest(?::text[]) AS v(id) WHERE EXISTS (SELECT 1 FROM push_devices d WHERE d.id = v.id) "
        + "ON CONFLICT DO NOTHING")) {
      ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
      ps.setLong(1, jobId);
      ps.setString(2, outcome);
      ps.setArray(3, conn().createArrayOf("text", deviceIds.toArray()));
      ps.executeUpdate();
    }
  }

  /** The provider said these tokens are dead for good (their delivery records go with them). */
  void deleteDevices(List<String> deviceIds) throws SQLException {
    if (deviceIds.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = conn().prepareStatement("DELETE FROM push_devices WHERE id = ANY (?)")) {
      ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
      ps.setArray(1, conn().createArrayOf("text", deviceIds.toArray()));
      ps.executeUpdate();
    }
  }

  /** The job is finished (every device answered, or it was given up). */
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
