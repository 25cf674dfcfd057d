package io.switchboard.broker;

import io.switchboard.config.NamespaceOptions;
import io.switchboard.history.HistoryStore;
import io.switchboard.model.ClientInfo;
import io.switchboard.model.Publication;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;

/**
 * The publish path. Channels with history are appended to PostgreSQL first (the sequencer), and the
 * publish completes only after the commit; then the publication goes to every subscriber through the
 * {@link Dispatch}. Channels without history skip the store.
 */
public final class Broker {
  private static final String BATCHER_KEY = "switchboard.publishBatcher";

  private final HistoryStore history;
  private final Dispatch dispatch;
  private final Context fallback;
  private final long deadlineMs;

  /** With the default deadline of a durable publish ({@code postgres.statement_timeout}'s default). */
  public Broker(Vertx vertx, HistoryStore history, Dispatch dispatch) {
    this(vertx, history, dispatch, io.switchboard.config.PostgresConfig.DEFAULT_STATEMENT_TIMEOUT.toMillis());
  }

  /** {@code deadlineMs}: a durable publish is answered within it, an error if PostgreSQL has not committed. */
  public Broker(Vertx vertx, HistoryStore history, Dispatch dispatch, long deadlineMs) {
    this.history = history;
    this.dispatch = dispatch;
    this.fallback = vertx.getOrCreateContext();
    this.deadlineMs = deadlineMs;
  }

  /**
   * Publishes {@code data} (JSON text in UTF-8 when {@code json}, else any bytes; never modified) to a channel
   * whose options the caller resolved. With an idempotency key a retried publish is answered with the
   * original offset and delivered nothing twice.
   */
  public Future<PublishResult> publish(String channel, NamespaceOptions ns, byte[] data, boolean json,
      ClientInfo info, Map<String, String> tags, String idempotencyKey, boolean skipHistory) {
    Publication pub = new Publication(channel, 0, data, json, info, tags == null ? Map.of() : tags);
    if (!ns.history() || skipHistory) {
      dispatch.publications(channel, List.of(pub), System.currentTimeMillis());
      return Future.succeededFuture(new PublishResult(pub, null));
    }
    if (idempotencyKey != null && !idempotencyKey.isEmpty()) {
      long acceptedAt = System.currentTimeMillis();
      return history.appendOnce(channel, pub, idempotencyKey).map(r -> {
        Publication stored = r.publications().get(0);
        if (!r.duplicate()) {
          dispatch.publications(channel, r.publications(), acceptedAt);
        }
        return new PublishResult(stored,
            new io.switchboard.model.StreamPosition(stored.offset(), r.top().epoch()));
      });
    }
    Context ctx = Vertx.currentContext();
    if (ctx == null || !ctx.isEventLoopContext()) {
      Promise<PublishResult> p = Promise.promise();
      fallback.runOnContext(v -> batcher(fallback).add(pub).onComplete(p));
      return p.future();
    }
    return batcher(ctx).add(pub);
  }

  private PublishBatcher batcher(Context ctx) {
    PublishBatcher b = ctx.get(BATCHER_KEY);
    if (b == null) {
      b = new PublishBatcher(ctx, history, dispatch, deadlineMs);
      ctx.put(BATCHER_KEY, b);
    }
    return b;
  }

  /**
   * Delivers a bulk append that has committed ({@link HistoryStore#appendToEach}): each channel's publication
   * to its subscribers on every node, like any other committed publication.
   */
  public void deliverCommitted(List<HistoryStore.AppendResult> results, long acceptedAtMillis) {
    List<Publication> pubs = new java.util.ArrayList<>(results.size());
    for (HistoryStore.AppendResult r : results) {
      pubs.addAll(r.publications());
    }
    if (!pubs.isEmpty()) {
      dispatch.sameToEach(pubs, acceptedAtMillis);
    }
  }

  /** Delivers publications of one channel that the caller's own transaction committed (the outbox). */
  public void deliverCommitted(String channel, List<Publication> pubs, long acceptedAtMillis) {
    dispatch.publications(channel, pubs, acceptedAtMillis);
  }

  public void join(String channel, ClientInfo info) {
    dispatch.joinLeave(new JoinLeave(channel, true, info));
  }

  public void leave(String channel, ClientInfo info) {
    dispatch.joinLeave(new JoinLeave(channel, false, info));
  }

  public HistoryStore history() {
    return history;
  }
}
