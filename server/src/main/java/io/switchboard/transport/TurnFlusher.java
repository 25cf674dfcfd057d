package io.switchboard.transport;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one writer task of an event loop: connections that queued output during a loop turn are marked here, and
 * one task at the end of the turn flushes each of them, so that a turn's messages for a connection go out in one
 * write (one syscall) and the loop schedules one task, not one per connection. Front ends (the Centrifugo
 * gateway, Pusher) each keep one per loop. Use on the loop's context only.
 */
public final class TurnFlusher<T> {
  private final Context context;
  private final Consumer<? super T> flush;
  private final Handler<Void> flushAll = v -> flushAll();
  private List<T> dirty = new ArrayList<>();
  private boolean scheduled;

  /** Flushes with {@code flush} on {@code context}, the loop of every connection marked here. */
  public TurnFlusher(Context context, Consumer<? super T> flush) {
    this.context = context;
    this.flush = flush;
  }

  /**
   * Marks a connection to be flushed at the end of this turn; the caller marks it once a turn (on its first
   * queued message), and one marked again while the flush runs is flushed at the end of the next turn.
   */
  public void markDirty(T connection) {
    dirty.add(connection);
    if (!scheduled) {
      scheduled = true;
      context.runOnContext(flushAll);
    }
  }

  private void flushAll() {
    scheduled = false;
    List<T> batch = dirty;
    dirty = new ArrayList<>(Math.max(16, batch.size()));
    for (int i = 0, n = batch.size(); i < n; i++) {
      flush.accept(batch.get(i));
    }
  }
}
