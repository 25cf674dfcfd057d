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

  /**
   * Events that are not transitions (client_event): one row per routed target, one event id per event. $1..$4
   * the events (type, channel, usr, data), $5..$7 the routes (see WebhookTarget.Routes).
   */
  private static final String ENQUEUE = """
      WITH e AS MATERIALIZED (
        SELECT gen_random_uuid() AS event_id, nextval('webhook_event_seq') AS seq, type, channel, usr, data
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS d(type, channel, usr, data))
      , queued AS (
        INSERT INTO webhook_queue (event_id, seq, target, type, channel, usr, data)
        SELECT DISTINCT ON (e.event_id, t.target) e.event_id, e.seq, t.target, e.type, e.channel, e.usr, e.data
        FROM e JOIN unnest($5::text[], $6::text[], $7::text[]) AS t(target, prefix, type)
          ON e.type = t.type AND starts_with(e.channel, t.prefix)
        RETURNING 1)
      SELECT count(*) AS queued FROM queued""";

  /** An event to enqueue as it is (not derived from occupancy); {@code data} is JSON text or null. */
  record Direct(String type, String channel, String user, String data) {}

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

  /** Enqueues {@code events} for the targets {@code routes} give them; yields the rows enqueued. */
  Future<Long> enqueue(List<Direct> events, WebhookTarget.Routes routes) {
    return pool.preparedQuery(ENQUEUE).execute(Tuple.of(
        events.stream().map(Direct::type).toArray(String[]::new),
        events.stream().map(Direct::channel).toArray(String[]::new),
        events.stream().map(Direct::user).toArray(String[]::new),
        events.stream().map(Direct::data).toArray(String[]::new),
        routes.targets(), routes.prefixes(), routes.types()))
        .map(rows -> rows.iterator().next().getLong("queued"));
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
