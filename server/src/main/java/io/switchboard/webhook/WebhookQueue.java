package io.switchboard.webhook;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The queue's SQL (V8__webhooks.sql): claim due rows of one target with FOR UPDATE SKIP LOCKED, moving their
 * {@code next_at} forward by a lease (a sender that dies leaves them to be claimed again when it runs out);
 * delete what was delivered; reschedule what was not, with backoff, dropping rows older than the maximum age.
 */
final class WebhookQueue {
  private static final String CLAIM = """
      UPDATE webhook_queue q SET next_at = now() + make_interval(secs => $3::float8), attempts = q.attempts + 1
      FROM (SELECT id FROM webhook_queue WHERE target = $1 AND next_at <= now()
            ORDER BY id LIMIT $2::int FOR UPDATE SKIP LOCKED) c
      WHERE q.id = c.id
      RETURNING q.id, q.event_id::text AS event_id, q.seq, q.type, q.channel, q.usr, q.data,
        (extract(epoch FROM q.created_at) * 1000)::bigint AS time_ms""";

  private static final String DONE = "DELETE FROM webhook_queue WHERE id = ANY($1::bigint[])";

  /** $2 first delay (s), $3 longest delay (s), $4 maximum age (s); jitter of ±25% spreads the retries. */
  private static final String RETRY = """
      WITH expired AS (
        DELETE FROM webhook_queue WHERE id = ANY($1::bigint[]) AND created_at < now() - make_interval(secs => $4::float8)
        RETURNING id)
      , later AS (
        UPDATE webhook_queue SET next_at = now() + make_interval(secs =>
            least($3::float8, $2::float8 * power(2, least(attempts - 1, 30))) * (0.75 + random() * 0.5))
        WHERE id = ANY($1::bigint[]) AND id NOT IN (SELECT id FROM expired)
        RETURNING id)
      SELECT (SELECT count(*) FROM expired) AS expired, (SELECT count(*) FROM later) AS later""";

  /** Claimed but not sent (past the batch's byte bound): due again at once, the claim not counted. */
  private static final String RELEASE = """
      UPDATE webhook_queue SET next_at = now(), attempts = attempts - 1 WHERE id = ANY($1::bigint[])""";

  /** A claimed row: its queue id and its event. */
  record Claimed(long rowId, WebhookEvent event) {}

  private final Pool pool;

  WebhookQueue(Pool pool) {
    this.pool = pool;
  }

  /** Up to {@code max} due rows of {@code target}, in id order, leased for {@code lease}. */
  Future<List<Claimed>> claim(String target, int max, Duration lease) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(target, max, seconds(lease))).map(rows -> {
      List<Claimed> out = new ArrayList<>(rows.size());
      for (Row r : rows) {
        out.add(new Claimed(r.getLong("id"), new WebhookEvent(r.getString("event_id"), r.getLong("seq"),
            r.getString("type"), r.getString("channel"), r.getString("usr"), r.getLong("time_ms"),
            r.getString("data"))));
      }
      out.sort(Comparator.comparingLong(Claimed::rowId));
      return out;
    });
  }

  Future<Void> done(List<Claimed> rows) {
    return pool.preparedQuery(DONE).execute(Tuple.of(ids(rows))).mapEmpty();
  }

  Future<Void> release(List<Claimed> rows) {
    return pool.preparedQuery(RELEASE).execute(Tuple.of(ids(rows))).mapEmpty();
  }

  /** Reschedules {@code rows}; yields how many were dropped for age. */
  Future<Long> retry(List<Claimed> rows, Duration base, Duration max, Duration maxAge) {
    return pool.preparedQuery(RETRY).execute(Tuple.of(ids(rows), seconds(base), seconds(max), seconds(maxAge)))
        .map(r -> r.iterator().next().getLong("expired"));
  }

  private static Long[] ids(List<Claimed> rows) {
    return rows.stream().map(Claimed::rowId).toArray(Long[]::new);
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
