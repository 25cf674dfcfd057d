package io.switchboard.notify;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Durable queue of push jobs, in PostgreSQL, for every platform. The notify path enqueues a job for each notified
 * user who has no live connection anywhere (to all their devices); {@code send_push_notification} enqueues sends
 * to devices picked by id, user or topic. The push sender (worker verticles) delivers them. {@link #NONE} when
 * push is off.
 */
public interface PushQueue {

  /**
   * One push: to every push subscription of {@code user}, for the notification at {@code offset} of
   * {@code channel}. {@code push} is {@code {title, body, url, ttl, urgency}} as given to the notify API.
   */
  record PushJob(String user, String channel, long offset, JsonObject push) {}

  /**
   * A {@code send_push_notification}: to every device (of {@code platforms}) whose id is in {@code deviceIds},
   * whose user is in {@code users} or that has one of {@code topics}, resolved when accepted;
   * {@code notification} is {@code {title?, body?, url?, data?, badge?, urgency?, fcm?, apns?, webpush?}}, validated.
   * Due at {@code sendAt}; dropped unsent after {@code expireAt}. {@code uid} identifies it (and its collapse ids).
   */
  record PushSend(List<String> deviceIds, List<String> users, List<String> topics, java.util.Set<String> platforms,
      JsonObject notification, String uid, java.time.Instant sendAt, java.time.Instant expireAt) {}

  /** Queues a send; completes, after the commit, with the number of devices it will go to. */
  default Future<Long> send(PushSend send) {
    return Future.failedFuture(new io.switchboard.model.CoreException(io.switchboard.model.Failure.NOT_AVAILABLE,
        "push is disabled"));
  }

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
