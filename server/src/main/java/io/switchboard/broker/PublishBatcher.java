package io.switchboard.broker;

import io.switchboard.history.HistoryStore;
import io.switchboard.model.Publication;
import io.switchboard.model.StreamPosition;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Group commit for durable publishes across channels, one per event loop (not thread-safe; used on its loop
 * only). Publishes of one loop turn, whatever their channels, go to PostgreSQL together in one statement
 * ({@link HistoryStore#appendAll}); while {@link #MAX_IN_FLIGHT} of those are committing, new publishes wait
 * and join the next. Many small rooms therefore share one commit (one fsync) instead of paying one each.
 *
 * <p>Order: a channel is in at most one in-flight batch of this loop, so a channel's publishes from one loop
 * commit, and are acked and delivered, in the order they arrived.
 */
final class PublishBatcher {
  /** Publications per statement: bounds the statement's size and the latency of the first in it. */
  static final int MAX_BATCH = 1000;
  /** Statements committing at once per loop: lets PostgreSQL merge their WAL flushes without hogging the pool. */
  static final int MAX_IN_FLIGHT = 2;

  private final Context context;
  private final HistoryStore history;
  private final Dispatch dispatch;
  /** Waiting publishes by channel, in arrival order of the channels. */
  private final Map<String, ArrayDeque<Item>> waiting = new LinkedHashMap<>();
  private final Set<String> committing = new HashSet<>();
  private int inFlight;
  private boolean flushScheduled;

  PublishBatcher(Context context, HistoryStore history, Dispatch dispatch) {
    this.context = context;
    this.history = history;
    this.dispatch = dispatch;
  }

  Future<PublishResult> add(Publication pub) {
    Promise<PublishResult> promise = Promise.promise();
    waiting.computeIfAbsent(pub.channel(), c -> new ArrayDeque<>())
        .add(new Item(pub, promise, System.currentTimeMillis()));
    if (!flushScheduled && inFlight < MAX_IN_FLIGHT) {
      // At the end of this loop turn, so that every publish read in this turn joins the batch.
      flushScheduled = true;
      context.runOnContext(v -> {
        flushScheduled = false;
        flush();
      });
    }
    return promise.future();
  }

  private void flush() {
    while (inFlight < MAX_IN_FLIGHT) {
      Map<String, List<Item>> batch = take();
      if (batch.isEmpty()) {
        return;
      }
      send(batch);
    }
  }

  /** Up to {@link #MAX_BATCH} waiting publishes of channels that have no batch committing. */
  private Map<String, List<Item>> take() {
    Map<String, List<Item>> batch = new LinkedHashMap<>();
    int size = 0;
    for (Iterator<Map.Entry<String, ArrayDeque<Item>>> it = waiting.entrySet().iterator();
        it.hasNext() && size < MAX_BATCH; ) {
      Map.Entry<String, ArrayDeque<Item>> e = it.next();
      if (committing.contains(e.getKey())) {
        continue;
      }
      ArrayDeque<Item> q = e.getValue();
      List<Item> items = new ArrayList<>(Math.min(q.size(), MAX_BATCH - size));
      while (!q.isEmpty() && size < MAX_BATCH) {
        items.add(q.poll());
        size++;
      }
      if (q.isEmpty()) {
        it.remove();
      }
      batch.put(e.getKey(), items);
    }
    return batch;
  }

  private void send(Map<String, List<Item>> batch) {
    inFlight++;
    committing.addAll(batch.keySet()); // already there when retrying one channel of a failed batch
    Map<String, List<Publication>> pubs = new LinkedHashMap<>(batch.size() * 2);
    batch.forEach((channel, items) -> {
      List<Publication> list = new ArrayList<>(items.size());
      items.forEach(it -> list.add(it.pub));
      pubs.put(channel, list);
    });
    history.appendAll(pubs).onComplete(ar -> {
      inFlight--;
      if (ar.failed() && batch.size() > 1) {
        // Nothing was written. Retry channel by channel, so that a channel whose data PostgreSQL refuses
        // fails only its own publishes, not those of every room that shared the statement.
        batch.forEach((channel, items) -> send(Map.of(channel, items)));
        return;
      }
      committing.removeAll(batch.keySet());
      batch.forEach((channel, items) -> {
        if (ar.failed()) {
          items.forEach(it -> it.promise.fail(ar.cause()));
          return;
        }
        HistoryStore.AppendResult r = ar.result().get(channel);
        dispatch.publications(channel, r.publications(), items.get(0).acceptedAtMillis);
        String epoch = r.top().epoch();
        for (int i = 0; i < items.size(); i++) {
          Publication p = r.publications().get(i);
          items.get(i).promise.complete(new PublishResult(p, new StreamPosition(p.offset(), epoch)));
        }
      });
      flush();
    });
  }

  private record Item(Publication pub, Promise<PublishResult> promise, long acceptedAtMillis) {}
}
