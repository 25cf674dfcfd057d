package io.switchboard.history;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;

/**
 * Deletes history beyond a namespace's {@code history_size} and older than its {@code history_ttl}, and server
 * API idempotency keys past {@link #API_KEY_TTL}. Meant for a
 * periodic timer: each statement deletes at most {@link #batchSize} rows (short transactions, short locks) and
 * the call loops until nothing is left. Stream rows (top, epoch) are never touched.
 *
 * <p>A scope is either one channel ({@link #trimChannel}) or a namespace ({@link #trimNamespace}): {@code null}
 * means every channel, {@code ""} the channels without a namespace (no ':'), {@code "chat"} those starting with
 * {@code "chat:"}.
 */
public final class HistoryRetention {
  public static final int DEFAULT_BATCH_SIZE = 5_000;

  private static final String IN_NAMESPACE = "($1::text IS NULL OR ($1 = '' AND strpos(channel, ':') = 0) "
      + "OR starts_with(channel, $1 || ':'))";
  // Rows at or below top - size. Walks the streams of the scope and, for each, the start of its primary key range.
  private static final String TRIM_SIZE_NAMESPACE = "DELETE FROM publications WHERE (channel, \"offset\") IN ("
      + "SELECT p.channel, p.\"offset\" FROM streams s CROSS JOIN LATERAL ("
      + "SELECT channel, \"offset\" FROM publications p WHERE p.channel = s.channel AND p.\"offset\" <= s.top - $2 "
      + "ORDER BY p.\"offset\" LIMIT $3) p WHERE " + IN_NAMESPACE.replace("channel", "s.channel") + " LIMIT $3)";
  private static final String TRIM_SIZE_CHANNEL = "DELETE FROM publications WHERE channel = $1 AND \"offset\" IN ("
      + "SELECT p.\"offset\" FROM publications p JOIN streams s ON s.channel = p.channel "
      + "WHERE p.channel = $1 AND p.\"offset\" <= s.top - $2 ORDER BY p.\"offset\" LIMIT $3)";
  private static final String TRIM_AGE_NAMESPACE = "DELETE FROM publications WHERE ctid = ANY(ARRAY("
      + "SELECT ctid FROM publications WHERE created_at < now() - make_interval(secs => $2) AND " + IN_NAMESPACE
      + " LIMIT $3))";
  private static final String TRIM_AGE_CHANNEL = "DELETE FROM publications WHERE channel = $1 AND \"offset\" IN ("
      + "SELECT \"offset\" FROM publications WHERE channel = $1 AND created_at < now() - make_interval(secs => $2) "
      + "ORDER BY \"offset\" LIMIT $3)";

  private static final String EXPIRE_API_KEYS = "DELETE FROM api_idempotency WHERE ctid = ANY(ARRAY("
      + "SELECT ctid FROM api_idempotency WHERE created_at < now() - make_interval(secs => $1) LIMIT $2))";

  /** How long a server API idempotency key (POST /api/notify) answers retries: a day, like payment APIs. */
  public static final Duration API_KEY_TTL = Duration.ofHours(24);

  private final Pool pool;
  private final int batchSize;

  public HistoryRetention(Pool pool) {
    this(pool, DEFAULT_BATCH_SIZE);
  }

  public HistoryRetention(Pool pool, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1");
    }
    this.pool = pool;
    this.batchSize = batchSize;
  }

  public int batchSize() {
    return batchSize;
  }

  /**
   * Trims one channel: keeps its newest {@code historySize} offsets and drops rows older than {@code ttl}
   * ({@link Duration#ZERO} = no age limit; {@code historySize} 0 = no history at all). Completes with the number
   * of rows deleted.
   */
  public Future<Long> trimChannel(String channel, int historySize, Duration ttl) {
    return trim(TRIM_SIZE_CHANNEL, TRIM_AGE_CHANNEL, channel, historySize, ttl);
  }

  /** Trims every channel of {@code namespace} (see the class comment); completes with the rows deleted. */
  public Future<Long> trimNamespace(String namespace, int historySize, Duration ttl) {
    return trim(TRIM_SIZE_NAMESPACE, TRIM_AGE_NAMESPACE, namespace, historySize, ttl);
  }

  /**
   * Forgets server API idempotency keys older than {@code ttl}: a retry after that is a new call. Completes with
   * the number of keys deleted.
   */
  public Future<Long> expireApiKeys(Duration ttl) {
    return loop(EXPIRE_API_KEYS, Tuple.of(ttl.toNanos() / 1e9, (long) batchSize), 0L);
  }

  private Future<Long> trim(String sizeSql, String ageSql, String scope, int historySize, Duration ttl) {
    if (historySize < 0 || ttl.isNegative()) {
      return Future.failedFuture(new IllegalArgumentException("historySize and ttl must not be negative"));
    }
    Future<Long> bySize = loop(sizeSql, Tuple.of(scope, (long) historySize, (long) batchSize), 0L);
    if (ttl.isZero()) {
      return bySize;
    }
    double seconds = ttl.toNanos() / 1e9;
    return bySize.compose(n -> loop(ageSql, Tuple.of(scope, seconds, (long) batchSize), n));
  }

  private Future<Long> loop(String sql, Tuple args, long deletedSoFar) {
    return pool.preparedQuery(sql).execute(args).compose(rs -> {
      long total = deletedSoFar + rs.rowCount();
      return rs.rowCount() < batchSize ? Future.succeededFuture(total) : loop(sql, args, total);
    });
  }
}
