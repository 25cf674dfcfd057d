package io.switchboard.history;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Read state of a user's notification inbox, the stream of their personal channel ({@code notify:#<user>}).
 * A notification is read when its offset is at most the user's read position in that channel (the
 * {@code read_positions} watermark that {@link ReadPositionStore} keeps, shared with the {@code read} RPC) or
 * when it was read one by one ({@code notification_reads}, only offsets above the watermark; rows at or below
 * it are deleted when it moves). Unread = stored notifications above the watermark that were not read one by
 * one, so notifications already trimmed by retention do not count. Over the reactive pool.
 */
public final class InboxStore {

  // One statement, one snapshot: the page, its read flags, the watermark and the top agree.
  private static final String LIST = "WITH w AS (SELECT "
      + "COALESCE((SELECT \"offset\" FROM read_positions WHERE user_id = $1 AND channel = $2), 0) AS wm, "
      + "COALESCE((SELECT top FROM streams WHERE channel = $2), 0) AS top, "
      + "(SELECT epoch FROM streams WHERE channel = $2) AS epoch) "
      + "SELECT w.wm, w.top, w.epoch, p.\"offset\", p.data, p.data_json, p.created_at, "
      + "(p.\"offset\" <= w.wm OR r.\"offset\" IS NOT NULL) AS read "
      + "FROM w LEFT JOIN LATERAL (SELECT \"offset\", data, data_json, created_at FROM publications "
      + "WHERE channel = $2 AND \"offset\" < $3 AND \"offset\" <= w.top ORDER BY \"offset\" DESC LIMIT $4) p ON true "
      + "LEFT JOIN notification_reads r ON r.user_id = $1 AND r.channel = $2 AND r.\"offset\" = p.\"offset\" "
      + "ORDER BY p.\"offset\" DESC";
  private static final String STATE = "WITH w AS (SELECT "
      + "COALESCE((SELECT \"offset\" FROM read_positions WHERE user_id = $1 AND channel = $2), 0) AS wm, "
      + "COALESCE((SELECT top FROM streams WHERE channel = $2), 0) AS top) "
      + "SELECT w.wm, w.top, (SELECT count(*) FROM publications p "
      + "WHERE p.channel = $2 AND p.\"offset\" > w.wm AND p.\"offset\" <= w.top AND NOT EXISTS "
      + "(SELECT 1 FROM notification_reads r WHERE r.user_id = $1 AND r.channel = $2 AND r.\"offset\" = p.\"offset\")"
      + ") AS unread FROM w";
  private static final String DROP_BELOW_WATERMARK = "DELETE FROM notification_reads "
      + "WHERE user_id = $1 AND channel = $2 AND \"offset\" <= "
      + "COALESCE((SELECT \"offset\" FROM read_positions WHERE user_id = $1 AND channel = $2), 0)";
  // Only offsets above the watermark of notifications that exist; the rest are read already or unknown.
  private static final String MARK_EACH = "INSERT INTO notification_reads (user_id, channel, \"offset\") "
      + "SELECT $1, $2, o.off FROM unnest($3::bigint[]) AS o(off) "
      + "WHERE o.off > COALESCE((SELECT \"offset\" FROM read_positions WHERE user_id = $1 AND channel = $2), 0) "
      + "AND EXISTS (SELECT 1 FROM publications p WHERE p.channel = $2 AND p.\"offset\" = o.off) "
      + "ON CONFLICT DO NOTHING";

  private final Pool pool;

  public InboxStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * One notification as listed: its data as stored ({@code json}: JSON text in UTF-8, see
   * {@link io.switchboard.model.Publication}). {@code time}: when it was stored.
   */
  public record Item(long offset, byte[] data, boolean json, boolean read, OffsetDateTime time) {}

  /** A page, newest first, with the watermark and stream position it was read against ({@code epoch} may be null). */
  public record Page(List<Item> items, long readOffset, long top, String epoch) {}

  /** The read state after a change: watermark, unread count, stream top. */
  public record ReadState(long readOffset, long unread, long top) {}

  /** Notifications with offsets below {@code before} (0: the newest), newest first, at most {@code limit}. */
  public Future<Page> list(String user, String channel, long before, int limit) {
    long bound = before <= 0 ? Long.MAX_VALUE : before;
    return pool.preparedQuery(LIST).execute(Tuple.of(user, channel, bound, (long) limit)).map(rs -> {
      List<Item> items = new ArrayList<>(rs.size());
      long wm = 0;
      long top = 0;
      String epoch = null;
      for (Row r : rs) {
        wm = r.getLong("wm");
        top = r.getLong("top");
        epoch = r.getString("epoch");
        if (r.getLong("offset") != null) {
          items.add(new Item(r.getLong("offset"), r.getBuffer("data").getBytes(), r.getBoolean("data_json"),
              r.getBoolean("read"), r.getOffsetDateTime("created_at")));
        }
      }
      return new Page(Collections.unmodifiableList(items), wm, top, epoch);
    });
  }

  /** The current read state. */
  public Future<ReadState> state(String user, String channel) {
    return state(pool, user, channel);
  }

  /**
   * Marks everything up to {@code offset} (capped at the top) read; the watermark never moves back. One
   * transaction: move the watermark, drop the one-by-one reads it now covers, count.
   */
  public Future<ReadState> markUpTo(String user, String channel, long offset) {
    return pool.withTransaction(conn -> ReadPositionStore.markReadUpToTop(conn, user, channel, offset)
        .compose(v -> conn.preparedQuery(DROP_BELOW_WATERMARK).execute(Tuple.of(user, channel)))
        .compose(v -> state(conn, user, channel)));
  }

  /** Marks single notifications read; offsets at or below the watermark, or of no stored notification, are ignored. */
  public Future<ReadState> markEach(String user, String channel, List<Long> offsets) {
    Tuple t = Tuple.tuple().addString(user).addString(channel).addArrayOfLong(offsets.toArray(Long[]::new));
    return pool.preparedQuery(MARK_EACH).execute(t).compose(v -> state(pool, user, channel));
  }

  private static Future<ReadState> state(SqlClient client, String user, String channel) {
    return client.preparedQuery(STATE).execute(Tuple.of(user, channel)).map(rs -> {
      Row r = rs.iterator().next();
      return new ReadState(r.getLong("wm"), r.getLong("unread"), r.getLong("top"));
    });
  }
}
