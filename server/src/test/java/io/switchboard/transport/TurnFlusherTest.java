package io.switchboard.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** On a real event loop: what is marked during a turn is flushed after it, once per mark, in order. */
@ExtendWith(VertxExtension.class)
class TurnFlusherTest {

  @Test
  void flushesAtTheEndOfTheTurnInTheOrderMarked(Vertx vertx) throws Exception {
    Context loop = vertx.getOrCreateContext();
    List<String> flushed = new ArrayList<>();
    TurnFlusher<String> writer = new TurnFlusher<>(loop, flushed::add);
    CompletableFuture<List<String>> duringTurn = new CompletableFuture<>();
    CompletableFuture<List<String>> afterTurn = new CompletableFuture<>();
    loop.runOnContext(v -> {
      writer.markDirty("a");
      writer.markDirty("b");
      writer.markDirty("c");
      duringTurn.complete(List.copyOf(flushed));
      loop.runOnContext(w -> afterTurn.complete(List.copyOf(flushed))); // queued behind the one flush task
    });

    assertThat(duringTurn.get(10, TimeUnit.SECONDS)).as("nothing is written during the turn").isEmpty();
    assertThat(afterTurn.get(10, TimeUnit.SECONDS)).containsExactly("a", "b", "c");
  }

  @Test
  void oneMarkedDuringTheFlushWaitsForTheNextTurn(Vertx vertx) throws Exception {
    Context loop = vertx.getOrCreateContext();
    List<String> flushed = new ArrayList<>();
    List<List<String>> turns = new ArrayList<>();
    CompletableFuture<List<List<String>>> done = new CompletableFuture<>();
    AtomicReference<TurnFlusher<String>> writer = new AtomicReference<>();
    writer.set(new TurnFlusher<>(loop, s -> {
      flushed.add(s);
      if (s.equals("first")) {
        writer.get().markDirty("again"); // e.g. a drain that queued more while writing
        turns.add(List.copyOf(flushed));
        loop.runOnContext(v -> {
          turns.add(List.copyOf(flushed));
          done.complete(turns);
        });
      }
    }));
    loop.runOnContext(v -> writer.get().markDirty("first"));

    List<List<String>> seen = done.get(10, TimeUnit.SECONDS);
    assertThat(seen.get(0)).as("not flushed within the flush that marked it").containsExactly("first");
    assertThat(seen.get(1)).as("flushed by the next turn's task").containsExactly("first", "again");
  }

  @Test
  void marksOfSeveralTurnsAreFlushedEachTurn(Vertx vertx) throws Exception {
    Context loop = vertx.getOrCreateContext();
    List<Integer> flushed = new ArrayList<>();
    CompletableFuture<List<Integer>> seen = new CompletableFuture<>();
    TurnFlusher<Integer> writer = new TurnFlusher<>(loop, flushed::add);
    loop.runOnContext(v -> writer.markDirty(1));
    loop.runOnContext(v -> writer.markDirty(2));
    loop.runOnContext(v -> loop.runOnContext(w -> seen.complete(List.copyOf(flushed))));

    assertThat(seen.get(10, TimeUnit.SECONDS)).containsExactly(1, 2);
  }
}
