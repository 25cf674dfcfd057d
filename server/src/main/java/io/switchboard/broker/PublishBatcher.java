package io.switchboard.broker;

import io.switchboard.history.HistoryStore;
import io.switchboard.model.DeadlineExceeded;
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
 *
 * <p>Deadline: every publish is answered within {@code deadlineMs} of its arrival, waiting included. One still
 * waiting then fails and is never written; one whose statement is in flight fails too, but that statement may
 * still commit (a hung PostgreSQL that wakes up), although its publishers were told 100. Subscribers still get
 * such a publication once, in order: here if the statement's answer comes before the pool gives up on it, else
 * through {@link LoopChannel}'s gap read-back when the channel's next publication arrives (or on recovery). At
 * least once, never lost once acknowledged.
 */
final class PublishBatcher {
  /** Publications per statement: bounds the statement's size and the latency of the first in it. */
  static final int MAX_BATCH = 1000;
  /** Statements committing at once per loop: lets PostgreSQL merge their WAL flushes without hogging the pool. */
  static final int MAX_IN_FLIGHT = 2;

  private final Context context;
  private final HistoryStore history;
  private final Dispatch dispatch;
  private final long deadlineMs;
  /** Waiting publishes by channel, in arrival order of the channels. */
  private final Map<String, ArrayDeque<Item>> waiting = new LinkedHashMap<>();
  private final Set<String> committing = new HashSet<>();
  private int inFlight;
  private boolean flushScheduled;
  /** The timer that fails waiting publishes at their deadline, or -1: at most one per loop. */
  private long sweepTimer = -1;

  PublishBatcher(Context context, HistoryStore history, Dispatch dispatch, long deadlineMs) {
    this.context = context;
    this.history = history;
    this.dispatch = dispatch;
    this.deadlineMs = deadlineMs;
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
    } else if (!flushScheduled) {
      armSweep();
    }
    return promise.future();
  }

  private void flush() {
    while (inFlight < MAX_IN_FLIGHT) {
      Map<String, List<Item>> batch = take();
      if (batch.isEmpty()) {
        break;
      }
      send(batch);
    }
    armSweep();
  }

  /**
   * While publishes wait (both statements in flight, or their channel's batch committing), a timer fails each
   * at its deadline whatever the statements ahead do. Armed for the oldest; cheap when already armed.
   */
  private void armSweep() {
    if (sweepTimer != -1 || waiting.isEmpty()) {
      return;
    }
    long oldest = Long.MAX_VALUE;
    for (ArrayDeque<Item> q : waiting.values()) {
      oldest = Math.min(oldest, q.peek().acceptedAtMillis);
    }
    sweepTimer = context.owner().setTimer(Math.max(1, oldest + deadlineMs - System.currentTimeMillis()), id -> {
      sweepTimer = -1;
      long expired = System.currentTimeMillis() - deadlineMs;
      for (Iterator<ArrayDeque<Item>> it = waiting.values().iterator(); it.hasNext(); ) {
        ArrayDeque<Item> q = it.next();
        while (!q.isEmpty() && q.peek().acceptedAtMillis <= expired) {
          q.poll().promise.tryFail(new DeadlineExceeded("publish", deadlineMs));
        }
        if (q.isEmpty()) {
          it.remove();
        }
      }
      armSweep();
    });
  }

  /**
   * Up to {@link #MAX_BATCH} waiting publishes of channels that have no batch committing. Those past their
   * deadline are failed instead: never written, so their error is the whole truth.
   */
  private Map<String, List<Item>> take() {
    Map<String, List<Item>> batch = new LinkedHashMap<>();
    long expired = System.currentTimeMillis() - deadlineMs;
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
        Item item = q.poll();
        if (item.acceptedAtMillis <= expired) {
          item.promise.tryFail(new DeadlineExceeded("publish", deadlineMs));
          continue;
        }
        items.add(item);
        size++;
      }
      if (q.isEmpty()) {
        it.remove();
      }
      if (!items.isEmpty()) {
        batch.put(e.getKey(), items);
      }
    }
    return batch;
  }

  private void send(Map<String, List<Item>> batch) {
    inFlight++;
    committing.addAll(batch.keySet()); // already there when retrying one channel of a failed batch
    Map<String, List<Publication>> pubs = new LinkedHashMap<>(batch.size() * 2);
    long oldest = Long.MAX_VALUE;
    for (Map.Entry<String, List<Item>> e : batch.entrySet()) {
      List<Publication> list = new ArrayList<>(e.getValue().size());
      for (Item it : e.getValue()) {
        list.add(it.pub);
        oldest = Math.min(oldest, it.acceptedAtMillis);
      }
      pubs.put(e.getKey(), list);
    }
    // The pool's own deadline counts from the statement; this one from the oldest publish's arrival.
    long timer = context.owner().setTimer(Math.max(1, oldest + deadlineMs - System.currentTimeMillis()),
        id -> batch.values().forEach(items ->
            items.forEach(it -> it.promise.tryFail(new DeadlineExceeded("publish", deadlineMs)))));
    history.appendAll(pubs).onComplete(ar -> {
      context.owner().cancelTimer(timer);
      inFlight--;
      if (ar.failed() && batch.size() > 1 && !HistoryStore.mayHaveCommitted(ar.cause())) {
        // Nothing was written. Retry channel by channel, so that a channel whose data PostgreSQL refuses
        // fails only its own publishes, not those of every room that shared the statement.
        retryEach(batch);
        return;
      }
      committing.removeAll(batch.keySet());
      batch.forEach((channel, items) -> {
        if (ar.failed()) {
          items.forEach(it -> it.promise.tryFail(ar.cause()));
          return;
        }
        // Committed: delivered even when the deadline has already failed the publishers (see the class).
        HistoryStore.AppendResult r = ar.result().get(channel);
        dispatch.publications(channel, r.publications(), items.get(0).acceptedAtMillis);
        String epoch = r.top().epoch();
        for (int i = 0; i < items.size(); i++) {
          Publication p = r.publications().get(i);
          items.get(i).promise.tryComplete(new PublishResult(p, new StreamPosition(p.offset(), epoch)));
        }
      });
      flush();
    });
  }

  /** Sends each channel of a refused batch on its own, but not the publishes already failed by the deadline. */
  private void retryEach(Map<String, List<Item>> batch) {
    batch.forEach((channel, items) -> {
      List<Item> pending = new ArrayList<>(items.size());
      items.forEach(it -> {
        if (!it.promise.future().isComplete()) {
          pending.add(it);
        }
      });
      if (pending.isEmpty()) {
        committing.remove(channel);
      } else {
        send(Map.of(channel, pending));
      }
    });
    flush();
  }

  private record Item(Publication pub, Promise<PublishResult> promise, long acceptedAtMillis) {}
}
