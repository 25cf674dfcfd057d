package io.switchboard.history;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-user read positions in channels, and unread counts derived from them: unread = number of durable
 * publications after the read offset = {@code max(0, streams.top - read offset)}. Positions never move
 * backwards. Over the reactive pool.
 */
public final class ReadPositionStore {

  private static final String MARK = "INSERT INTO read_positions (user_id, channel, \"offset\") VALUES ($1, $2, $3) "
      + "ON CONFLICT (user_id, channel) DO UPDATE "
      + "SET \"offset\" = GREATEST(read_positions.\"offset\", EXCLUDED.\"offset\"), updated_at = now() "
      + "WHERE read_positions.\"offset\" < EXCLUDED.\"offset\" RETURNING \"offset\"";
  // As MARK, with the offset capped at the stream's top: a watermark past the top would mark notifications
  // that do not exist yet as read.
  private static final String MARK_UP_TO_TOP = "INSERT INTO read_positions (user_id, channel, \"offset\") "
      + "SELECT $1, $2, LEAST($3, COALESCE((SELECT top FROM streams WHERE channel = $2), 0)) "
      + "ON CONFLICT (user_id, channel) DO UPDATE "
      + "SET \"offset\" = GREATEST(read_positions.\"offset\", EXCLUDED.\"offset\"), updated_at = now() "
      + "WHERE read_positions.\"offset\" < EXCLUDED.\"offset\"";
  private static final String GET = "SELECT \"offset\" FROM read_positions WHERE user_id = $1 AND channel = $2";
  private static final String UNREAD = "SELECT c.channel, "
      + "GREATEST(0, COALESCE(s.top, 0) - COALESCE(r.\"offset\", 0)) AS n "
      + "FROM unnest($2::text[]) AS c(channel) "
      + "LEFT JOIN streams s ON s.channel = c.channel "
      + "LEFT JOIN read_positions r ON r.user_id = $1 AND r.channel = c.channel";
  private static final String POSITIONS = "SELECT channel, \"offset\" FROM read_positions "
      + "WHERE user_id = $1 AND channel = ANY($2::text[])";

  private final Pool pool;

  public ReadPositionStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Records that {@code user} has read {@code channel} up to {@code offset}; a lower offset than the stored one
   * changes nothing. Completes with the stored offset (the maximum). Offsets are not checked against the stream
   * top; unread counts clamp at 0.
   */
  public Future<Long> markRead(String user, String channel, long offset) {
    if (offset < 0) {
      return Future.failedFuture(new IllegalArgumentException("offset must be at least 0, got " + offset));
    }
    return pool.preparedQuery(MARK).execute(Tuple.of(user, channel, offset)).compose(rs -> {
      if (rs.size() > 0) {
        return Future.succeededFuture(rs.iterator().next().getLong(0));
      }
      // Not moved: the stored offset was already at least as high.
      return pool.preparedQuery(GET).execute(Tuple.of(user, channel)).map(again -> again.iterator().next().getLong(0));
    });
  }

  /**
   * As {@link #markRead}, but never past the stream's top, and on {@code client} (a connection in a
   * transaction, for the inbox). Completes when the statement has run; the stored offset is not returned.
   */
  static Future<Void> markReadUpToTop(io.vertx.sqlclient.SqlClient client, String user, String channel, long offset) {
    if (offset < 0) {
      return Future.failedFuture(new IllegalArgumentException("offset must be at least 0, got " + offset));
    }
    return client.preparedQuery(MARK_UP_TO_TOP).execute(Tuple.of(user, channel, offset)).mapEmpty();
  }

  /** Per requested channel (in request order), the unread count; channels without a stream count 0. */
  public Future<Map<String, Long>> unread(String user, List<String> channels) {
    if (channels.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery(UNREAD).execute(userAndChannels(user, channels)).map(rs -> {
      Map<String, Long> out = new LinkedHashMap<>();
      for (Row r : rs) {
        out.put(r.getString("channel"), r.getLong("n"));
      }
      return Collections.unmodifiableMap(out);
    });
  }

  private static Tuple userAndChannels(String user, List<String> channels) {
    // Not Tuple.of(user, array): the varargs would spread the array into separate parameters.
    return Tuple.tuple().addString(user).addArrayOfString(channels.toArray(String[]::new));
  }

  /** Per requested channel (in request order), the user's read offset; 0 where none is stored. */
  public Future<Map<String, Long>> readPositions(String user, List<String> channels) {
    if (channels.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery(POSITIONS).execute(userAndChannels(user, channels)).map(rs -> {
      Map<String, Long> stored = new LinkedHashMap<>();
      for (Row r : rs) {
        stored.put(r.getString("channel"), r.getLong("offset"));
      }
      Map<String, Long> out = new LinkedHashMap<>();
      for (String c : channels) {
        out.put(c, stored.getOrDefault(c, 0L));
      }
      return Collections.unmodifiableMap(out);
    });
  }
}
