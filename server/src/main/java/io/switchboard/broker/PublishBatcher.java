package io.switchboard.broker;

import io.switchboard.history.HistoryStore;
import io.switchboard.model.Publication;
import io.switchboard.model.StreamPosition;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Group commit for durable publishes, one per event loop (not thread-safe; used on its loop only). Per
 * channel one append transaction is in flight at a time; publishes arriving meanwhile go together in the
 * next one. Under load that turns many publishes into one UPDATE plus one multi-row INSERT, with no timer
 * and no added latency when idle.
 */
final class PublishBatcher {
  static final int MAX_BATCH = 500;

  private final HistoryStore history;
  private final Dispatch dispatch;
  private final Map<String, ChannelQueue> queues = new HashMap<>();

  PublishBatcher(HistoryStore history, Dispatch dispatch) {
    this.history = history;
    this.dispatch = dispatch;
  }

  Future<PublishResult> add(Publication pub) {
    ChannelQueue q = queues.computeIfAbsent(pub.channel(), ChannelQueue::new);
    Promise<PublishResult> promise = Promise.promise();
    q.items.add(new Item(pub, promise, System.currentTimeMillis()));
    if (!q.inFlight) {
      flush(q);
    }
    return promise.future();
  }

  private void flush(ChannelQueue q) {
    int n = Math.min(q.items.size(), MAX_BATCH);
    List<Item> batch = new ArrayList<>(n);
    List<Publication> pubs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Item it = q.items.poll();
      batch.add(it);
      pubs.add(it.pub);
    }
    q.inFlight = true;
    long acceptedAt = batch.get(0).acceptedAtMillis;
    history.append(q.channel, pubs).onComplete(ar -> {
      if (ar.succeeded()) {
        HistoryStore.AppendResult r = ar.result();
        dispatch.publications(q.channel, r.publications(), acceptedAt);
        String epoch = r.top().epoch();
        for (int i = 0; i < batch.size(); i++) {
          Publication p = r.publications().get(i);
          batch.get(i).promise.complete(new PublishResult(p, new StreamPosition(p.offset(), epoch)));
        }
      } else {
        batch.forEach(it -> it.promise.fail(ar.cause()));
      }
      q.inFlight = false;
      if (q.items.isEmpty()) {
        queues.remove(q.channel);
      } else {
        flush(q);
      }
    });
  }

  private record Item(Publication pub, Promise<PublishResult> promise, long acceptedAtMillis) {}

  private static final class ChannelQueue {
    final String channel;
    final ArrayDeque<Item> items = new ArrayDeque<>();
    boolean inFlight;

    ChannelQueue(String channel) {
      this.channel = channel;
    }
  }
}
