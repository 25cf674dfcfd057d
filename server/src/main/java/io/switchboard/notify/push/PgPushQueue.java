package io.switchboard.notify.push;

import io.switchboard.notify.PushQueue;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;

/**
 * {@link PushQueue} in PostgreSQL: one statement per call however many jobs (one round trip, committed on its
 * own), then a local wake-up for this node's senders. Reactive: safe on an event loop.
 */
public final class PgPushQueue implements PushQueue {
  static final long DEFAULT_TTL = Duration.ofDays(1).toSeconds();
  static final long MAX_TTL = Duration.ofDays(28).toSeconds();
  /** Devices per send job: what one sender round works through in one provider call. */
  static final int SEND_CHUNK = 100;

  static final String INSERT = "INSERT INTO push_jobs (user_id, channel, \"offset\", payload, tag, expire_at) "
      + "SELECT u, c, o, p, c || ':' || o, now() + make_interval(secs => t) "
      + "FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::float8[]) AS x(u, c, o, p, t)";
  // The devices are picked, and cut into jobs of SEND_CHUNK, in the statement that queues them.
  static final String SEND = "WITH d AS (SELECT id FROM push_devices WHERE platform = ANY ($1::text[]) "
      + "AND (id = ANY ($2::text[]) OR user_id = ANY ($3::text[]) OR topics && $4::text[])), "
      + "c AS (SELECT array_agg(id ORDER BY id) AS ids FROM "
      + "(SELECT id, (row_number() OVER (ORDER BY id) - 1) / $5 AS n FROM d) x GROUP BY n) "
      + "INSERT INTO push_jobs (device_ids, payload, tag, next_attempt_at, expire_at) "
      + "SELECT ids, $6, $7, $8, $9 FROM c RETURNING cardinality(device_ids)";

  private final Vertx vertx;
  private final Pool pool;

  public PgPushQueue(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  @Override
  public Future<Void> enqueue(List<PushJob> jobs) {
    return insert(pool, jobs).onSuccess(v -> committed());
  }

  @Override
  public Future<Void> enqueue(io.vertx.sqlclient.SqlConnection tx, List<PushJob> jobs) {
    return insert(tx, jobs);
  }

  @Override
  public void committed() {
    PushSender.wake(vertx);
  }

  @Override
  public Future<Long> send(PushSend s) {
    Tuple args = Tuple.of(s.platforms().toArray(String[]::new), s.deviceIds().toArray(String[]::new),
        s.users().toArray(String[]::new), s.topics().toArray(String[]::new), SEND_CHUNK,
        s.notification().encode(), "send:" + s.uid());
    args.addValue(s.sendAt().atOffset(ZoneOffset.UTC)).addValue(s.expireAt().atOffset(ZoneOffset.UTC));
    return pool.preparedQuery(SEND).execute(args).map(rows -> {
      long devices = 0;
      for (Row r : rows) {
        devices += r.getLong(0);
      }
      if (devices > 0) {
        committed(); // a scheduled send is picked up by the senders' poll when due
      }
      return devices;
    });
  }

  /** A notify's {@code push.ttl} in seconds: at most 28 days, a day by default. */
  static double ttl(JsonObject push) {
    return push != null && push.getValue("ttl") instanceof Number n ? Math.max(0, Math.min(MAX_TTL, n.longValue()))
        : DEFAULT_TTL;
  }

  private static Future<Void> insert(io.vertx.sqlclient.SqlClient client, List<PushJob> jobs) {
    if (jobs.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = jobs.size();
    String[] users = new String[n];
    String[] channels = new String[n];
    Long[] offsets = new Long[n];
    String[] payloads = new String[n];
    Double[] ttls = new Double[n];
    for (int i = 0; i < n; i++) {
      PushJob j = jobs.get(i);
      users[i] = j.user();
      channels[i] = j.channel();
      offsets[i] = j.offset();
      payloads[i] = (j.push() == null ? new JsonObject() : j.push()).encode();
      ttls[i] = ttl(j.push());
    }
    return client.preparedQuery(INSERT).execute(Tuple.of(users, channels, offsets, payloads, ttls)).mapEmpty();
  }
}
