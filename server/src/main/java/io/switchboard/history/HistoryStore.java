package io.switchboard.history;

import io.switchboard.model.Publication;
import io.switchboard.model.StreamPosition;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Durable channel streams. PostgreSQL is the sequencer: offsets are per channel, start at 1, and have no
 * gaps; the epoch is made when a stream is created and changes only when a stream is really lost or reset.
 * Every future completes on the caller's Vert.x context.
 */
public interface HistoryStore {

  /**
   * Appends publications to one channel in one transaction. They get consecutive offsets in list order
   * (the offsets passed in are ignored). Completes only after the commit.
   */
  Future<AppendResult> append(String channel, List<Publication> publications);

  /**
   * Appends to several channels at once, in one transaction, each channel's publications getting consecutive
   * offsets in list order, as {@link #append} would. Results by channel (channels with an empty list are left
   * out). Completes only after the commit. This is what group commit across channels is built on.
   */
  Future<Map<String, AppendResult>> appendAll(Map<String, List<Publication>> byChannel);

  /**
   * Appends one publication unless {@code idempotencyKey} was already used in this channel; then nothing is
   * appended and the result carries the original publication with {@code duplicate = true}.
   */
  Future<AppendResult> appendOnce(String channel, Publication publication, String idempotencyKey);

  /** The stream top; creates the stream (offset 0, new epoch) when it does not exist yet. */
  Future<StreamPosition> position(String channel);

  /**
   * The tops of many streams in a constant number of statements, creating the missing ones like
   * {@link #position}. Connect and reconnect storms look up thousands of personal channels at once.
   */
  Future<java.util.Map<String, StreamPosition>> positions(List<String> channels);

  /**
   * A page of history, consistent with the returned top: every publication has offset at most
   * {@code top.offset()}.
   * <ul>
   *   <li>forward ({@code reverse=false}): offsets greater than {@code afterOffset}, oldest first;</li>
   *   <li>reverse with {@code afterOffset > 0}: offsets less than {@code afterOffset}, newest first;</li>
   *   <li>reverse with {@code afterOffset == 0}: the newest publications, newest first.</li>
   * </ul>
   * {@code limit} is at least 0; 0 returns only the position.
   */
  Future<HistoryPage> read(String channel, long afterOffset, int limit, boolean reverse);

  /**
   * Appends one publication with the same {@code data} (JSON text in UTF-8 when {@code json}, else any bytes)
   * and {@code tags} to each of {@code channels}
   * (distinct), in ONE transaction with a constant number of statements however many channels: one upsert of
   * every stream row (taking the row locks in channel order, so concurrent bulk appends cannot deadlock, and
   * single-channel appenders, holding one lock each, cannot either) and one multi-row insert of the
   * publications. Results come in {@code channels} order. Completes only after the commit.
   *
   * <p>With {@code once}, the call is idempotent: {@code once.response()} turns the results into the call's
   * response, which is stored under {@code (scope, key)} in the same transaction. A later call with that key
   * appends nothing and yields the stored response with {@code duplicate = true} (and no results).
   */
  Future<BulkAppendResult> appendToEach(List<String> channels, byte[] data, boolean json, Map<String, String> tags,
      Once once,
      InTransaction also);

  /** Deletes the stored publications of a channel, keeping its offset and epoch. */
  Future<Void> removeHistory(String channel);

  /** What an append wrote (or, for a duplicate idempotency key, found). */
  record AppendResult(StreamPosition top, List<Publication> publications, boolean duplicate) {}

  /** An idempotency key of a bulk call, and how to turn the bulk's results into the response kept under it. */
  record Once(String scope, String key, Function<List<AppendResult>, String> response) {}

  /**
   * More work that must commit (or roll back) together with a bulk append, given the appended results: the
   * notify path queues its Web Push jobs this way, so a crash can't keep the notifications and lose the pushes.
   */
  interface InTransaction {
    InTransaction NONE = (tx, results) -> Future.succeededFuture();

    Future<Void> run(io.vertx.sqlclient.SqlConnection tx, List<AppendResult> results);
  }

  /**
   * What {@link #appendToEach} did: {@code results} (one per channel, null for a duplicate) and the stored
   * {@code response} (null without an idempotency key).
   */
  record BulkAppendResult(List<AppendResult> results, String response, boolean duplicate) {}

  /** A history page and the stream top it was read against. */
  record HistoryPage(List<Publication> publications, StreamPosition top) {}

  /**
   * Whether a failed append may still have committed: PostgreSQL did not answer within the deadline, or the
   * connection broke under the statement. Such a failure must not be retried blindly (it could write twice);
   * a refusal by the server (an error it answered) rolled everything back.
   */
  static boolean mayHaveCommitted(Throwable failure) {
    return failure instanceof io.switchboard.model.DeadlineExceeded
        || failure instanceof io.vertx.sqlclient.ClosedConnectionException;
  }
}
