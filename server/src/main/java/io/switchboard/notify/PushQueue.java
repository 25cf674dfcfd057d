package io.switchboard.notify;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Durable queue of Web Push jobs, in PostgreSQL. The notify path enqueues a job for each notified user who has
 * no live connection anywhere; the push sender (a worker verticle) delivers them. {@link #NONE} when push is
 * off.
 */
public interface PushQueue {

  /**
   * One push: to every push subscription of {@code user}, for the notification at {@code offset} of
   * {@code channel}. {@code push} is {@code {title, body, url, ttl, urgency}} as given to the notify API.
   */
  record PushJob(String user, String channel, long offset, JsonObject push) {}

  /** Stores the jobs (one batched statement, not a round trip per job); completes after the commit. */
  Future<Void> enqueue(List<PushJob> jobs);

  /**
   * Stores the jobs inside the caller's transaction (one statement), so they commit with whatever made them
   * due; call {@link #committed()} after that commit.
   */
  default Future<Void> enqueue(io.vertx.sqlclient.SqlConnection tx, List<PushJob> jobs) {
    return enqueue(jobs);
  }

  /** Jobs were committed through {@link #enqueue(io.vertx.sqlclient.SqlConnection, List)}: wake the sender. */
  default void committed() {}

  PushQueue NONE = jobs -> Future.succeededFuture();
}
