package io.switchboard.notify.push;

import io.switchboard.notify.PushQueue;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * {@link PushQueue} in PostgreSQL: one {@code INSERT … SELECT FROM unnest(…)} per call however many jobs (one
 * statement, one round trip, committed on its own), then a local wake-up for this node's senders. Reactive: safe
 * on an event loop.
 */
public final class PgPushQueue implements PushQueue {
  static final String INSERT = "INSERT INTO push_jobs (user_id, channel, \"offset\", payload) "
      + "SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[])";

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

  private static Future<Void> insert(io.vertx.sqlclient.SqlClient client, List<PushJob> jobs) {
    if (jobs.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = jobs.size();
    String[] users = new String[n];
    String[] channels = new String[n];
    Long[] offsets = new Long[n];
    String[] payloads = new String[n];
    for (int i = 0; i < n; i++) {
      PushJob j = jobs.get(i);
      users[i] = j.user();
      channels[i] = j.channel();
      offsets[i] = j.offset();
      payloads[i] = (j.push() == null ? new io.vertx.core.json.JsonObject() : j.push()).encode();
    }
    return client.preparedQuery(INSERT).execute(Tuple.of(users, channels, offsets, payloads)).mapEmpty();
  }
}
