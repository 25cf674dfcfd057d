package io.switchboard.broker;

import io.switchboard.codec.ClientCodec;
import io.switchboard.history.HistoryStore;
import io.switchboard.model.Publication;
import io.switchboard.model.StreamPosition;
import io.vertx.core.Handler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One channel's subscribers on one event loop, and for channels with history the stream state that keeps
 * delivery in offset order: the top delivered here, a reorder buffer for publications that arrive early, and
 * a window of recent publications that serves most recoveries without a query.
 *
 * <p>Everything here runs on the owning event loop, so nothing is locked. Commits of offsets 5 and 6 can
 * come back in either order (two loops, later two nodes); 6 waits in {@code pending} until 5 arrives, or
 * until {@link #GAP_FILL_MS} passes and the missing range is read from PostgreSQL. An offset is never
 * skipped silently.
 */
final class LoopChannel {
  static final long GAP_FILL_MS = 50;

  final String channel;
  private final boolean durable;
  private final LoopHub loop;
  // Most channels are personal (one per connected user), so each holds one subscriber and no stream state:
  // the list starts at one slot and the window, reorder buffer and waiters exist only once used. The loop's
  // limits (window, recovery_max) are read from the loop, not copied into each of its channels.
  final List<Subscription> subs = new ArrayList<>(1);

  private boolean synced;
  private boolean closed;
  private long top;
  private String epoch = "";
  /** Recent publications, oldest first; null until the first one. */
  private ArrayDeque<Publication> recent;
  /** Early arrivals by offset; null while none wait. */
  private TreeMap<Long, Delivery> pending;
  /** Subscribes waiting for the first sync, told its failure (null when it succeeded); null when none wait. */
  private List<Consumer<Throwable>> whenSynced;
  private long gapTimer = -1;
  private boolean filling;

  LoopChannel(String channel, boolean durable, LoopHub loop) {
    this.channel = channel;
    this.durable = durable;
    this.loop = loop;
    if (durable) {
      sync();
    } else {
      synced = true;
    }
  }

  /**
   * Reads the stream top (batched with the other channels syncing in this turn) and, for shared channels, the
   * newest publications; live ones arriving meanwhile wait in pending. A personal or user-limited channel
   * skips the window: its few subscribers recover from PostgreSQL when they need to, and a connect storm
   * costs one batched position query per loop turn instead of reads per connection.
   */
  private void sync() {
    HistoryStore store = loop.history();
    boolean preloadWindow = channel.indexOf('#') < 0; // "#" starts the user list of a user-limited channel
    loop.position(channel)
        .compose(pos -> pos.offset() == 0 || !preloadWindow
            ? io.vertx.core.Future.succeededFuture(new HistoryStore.HistoryPage(List.of(), pos))
            : store.read(channel, 0, loop.window(), true))
        .onComplete(ar -> {
          if (closed) {
            return;
          }
          if (ar.failed()) {
            failWaiters(ar.cause());
            return;
          }
          HistoryStore.HistoryPage page = ar.result();
          top = page.top().offset();
          epoch = page.top().epoch();
          long expect = top;
          for (Publication p : page.publications()) { // newest first; keep the contiguous run ending at top
            if (p.offset() != expect) {
              break;
            }
            recent().addFirst(p);
            expect--;
          }
          synced = true;
          drainPending();
          runWaiters(null);
        });
  }

  private void runWaiters(Throwable failure) {
    List<Consumer<Throwable>> waiters = whenSynced;
    whenSynced = null;
    if (waiters != null) {
      waiters.forEach(w -> w.accept(failure));
    }
  }

  private ArrayDeque<Publication> recent() {
    if (recent == null) {
      recent = new ArrayDeque<>(Math.min(loop.window(), 16));
    }
    return recent;
  }

  private TreeMap<Long, Delivery> pending() {
    if (pending == null) {
      pending = new TreeMap<>();
    }
    return pending;
  }

  private boolean nonePending() {
    return pending == null || pending.isEmpty();
  }

  private void failWaiters(Throwable cause) {
    runWaiters(cause);
    // Forget this channel state so the next subscriber tries again.
    if (!closed) {
      close();
      loop.forget(this);
    }
  }

  void subscribe(Subscription sub, RecoveryRequest req, Handler<SubscribeOutcome> done) {
    subs.add(sub);
    if (!durable) {
      sub.live = true;
      done.handle(new SubscribeOutcome(null, false, List.of(), null));
      return;
    }
    if (synced) {
      complete(sub, req, done);
    } else {
      Consumer<Throwable> complete = failure -> {
        if (failure != null) {
          subs.remove(sub);
          done.handle(SubscribeOutcome.failed(failure));
          return;
        }
        complete(sub, req, done);
      };
      if (whenSynced == null) {
        whenSynced = new ArrayList<>(2);
      }
      whenSynced.add(complete);
    }
  }

  private void complete(Subscription sub, RecoveryRequest req, Handler<SubscribeOutcome> done) {
    StreamPosition pos = new StreamPosition(top, epoch);
    // Only a position in this very stream can be recovered from: no epoch (a client that never saw the stream)
    // or another one (the stream was reset) starts afresh, never replays from an offset of another stream.
    if (!req.recover() || req.epoch().isEmpty() || !req.epoch().equals(epoch)) {
      goLive(sub, done, false, List.of());
      return;
    }
    long since = req.offset();
    if (since == top) {
      goLive(sub, done, true, List.of());
      return;
    }
    if (since > top || top - since > loop.recoveryMax()) {
      goLive(sub, done, false, List.of());
      return;
    }
    List<Publication> fromWindow = recentAfter(since);
    if (fromWindow != null) {
      goLive(sub, done, true, fromWindow);
      return;
    }
    loop.history().read(channel, since, (int) (top - since), false).onComplete(ar -> {
      if (sub.removed) {
        done.handle(new SubscribeOutcome(pos, false, List.of(), null));
        return;
      }
      if (ar.failed()) {
        subs.remove(sub);
        done.handle(SubscribeOutcome.failed(ar.cause()));
        return;
      }
      // The channel may have moved on while we read: stored ones up to our top, then the window.
      List<Publication> got = new ArrayList<>();
      long last = since;
      for (Publication p : ar.result().publications()) {
        if (p.offset() != last + 1 || p.offset() > top) {
          break;
        }
        got.add(p);
        last = p.offset();
      }
      if (last < top) {
        List<Publication> rest = recentAfter(last);
        if (rest == null) {
          goLive(sub, done, false, List.of());
          return;
        }
        got.addAll(rest);
      }
      goLive(sub, done, true, got);
    });
  }

  /** Publications after {@code since} up to top from the window, or null when the window does not reach back. */
  private List<Publication> recentAfter(long since) {
    if (since >= top) {
      return List.of();
    }
    if (recent == null || recent.isEmpty() || recent.peekFirst().offset() > since + 1) {
      return null;
    }
    List<Publication> out = new ArrayList<>((int) (top - since));
    for (Iterator<Publication> it = recent.descendingIterator(); it.hasNext(); ) {
      Publication p = it.next();
      if (p.offset() <= since) {
        break;
      }
      out.add(p);
    }
    java.util.Collections.reverse(out);
    return out;
  }

  /** Makes the subscription live and answers, in the same event-loop turn: no push can slip in between. */
  private void goLive(Subscription sub, Handler<SubscribeOutcome> done, boolean recovered, List<Publication> pubs) {
    if (!sub.removed) {
      sub.live = true;
    }
    done.handle(new SubscribeOutcome(new StreamPosition(top, epoch), recovered, pubs, null));
  }

  void remove(Subscription sub) {
    subs.remove(sub);
  }

  boolean empty() {
    return subs.isEmpty();
  }

  void close() {
    closed = true;
    if (gapTimer >= 0) {
      loop.vertx().cancelTimer(gapTimer);
      gapTimer = -1;
    }
  }

  void onDeliveries(List<Delivery> deliveries) {
    for (Delivery d : deliveries) {
      if (!durable || d.offset() == 0) {
        loop.metrics().delivered(sendLive(d, false), d.acceptedAtMillis());
      } else if (!synced) {
        pending().put(d.offset(), d);
      } else {
        accept(d);
      }
    }
  }

  void onJoinLeave(JoinLeave.Encoded frames) {
    sendLive(frames, true);
  }

  private void accept(Delivery d) {
    long off = d.offset();
    if (off <= top) {
      return; // already delivered here
    }
    if (off == top + 1) {
      emit(d);
      drainPending();
    } else {
      pending().put(off, d);
      armGapTimer();
    }
  }

  private void drainPending() {
    while (!nonePending()) {
      long first = pending.firstKey();
      if (first <= top) {
        pending.pollFirstEntry();
      } else if (first == top + 1) {
        emit(pending.pollFirstEntry().getValue());
      } else {
        armGapTimer();
        return;
      }
    }
    pending = null;
    if (gapTimer >= 0) {
      loop.vertx().cancelTimer(gapTimer);
      gapTimer = -1;
    }
  }

  private void emit(Delivery d) {
    top = d.offset();
    ArrayDeque<Publication> recent = recent();
    recent.addLast(d.publication());
    while (recent.size() > loop.window()) {
      recent.pollFirst();
    }
    loop.metrics().delivered(sendLive(d, false), d.acceptedAtMillis());
  }

  /** Hands the push to each live subscription (with join/leave on, for those), in its owner's codec. */
  private int sendLive(CodecFrames push, boolean joinLeave) {
    int sent = 0;
    ClientCodec codec = null;
    byte[] frame = null;
    for (int i = 0, n = subs.size(); i < n; i++) {
      Subscription s = subs.get(i);
      if (s.live && (!joinLeave || s.joinLeave)) {
        Subscriber owner = s.owner;
        ClientCodec c = owner.codec();
        if (c != codec) { // subscribers of a channel mostly share one codec: one lookup per push, no allocation
          codec = c;
          frame = push.frame(c);
        }
        if (frame != null) {
          owner.deliver(frame);
          sent++;
        }
      }
    }
    return sent;
  }

  private void armGapTimer() {
    if (gapTimer >= 0 || filling) {
      return;
    }
    gapTimer = loop.vertx().setTimer(GAP_FILL_MS, id -> {
      gapTimer = -1;
      fillGap();
    });
  }

  /** A gap outlived the timeout: read the missing offsets from PostgreSQL, where they are committed. */
  private void fillGap() {
    if (closed || nonePending() || pending.firstKey() <= top + 1) {
      drainPending();
      return;
    }
    filling = true;
    long from = top;
    int missing = (int) Math.min(pending.firstKey() - top - 1, 10_000);
    loop.history().read(channel, from, missing, false).onComplete(ar -> {
      filling = false;
      if (closed) {
        return;
      }
      if (ar.succeeded()) {
        for (Publication p : ar.result().publications()) {
          accept(Delivery.of(p, System.currentTimeMillis()));
        }
      }
      if (!nonePending() && pending.firstKey() > top + 1) {
        if (ar.succeeded() && top == from) {
          // The store no longer has them (history removed or trimmed): subscribers must re-sync.
          insufficientState(pending.firstKey() - 1);
        } else {
          armGapTimer();
        }
      }
    });
  }

  private void insufficientState(long newTop) {
    List<Subscription> live = new ArrayList<>();
    for (Subscription s : subs) {
      if (s.live) {
        live.add(s);
      }
    }
    for (Subscription s : live) {
      s.owner.serverUnsubscribe(channel, 2500, "insufficient state");
    }
    top = newTop;
    recent = null;
    drainPending();
  }
}
