package io.switchboard.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real timers on a real event loop, calls that answer after 20 ms: batches, overlap and stop as promised. */
class PacedCallsTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** What one run saw: the size of each call, and the most calls unanswered at once. */
  private static final class Seen {
    final List<Integer> batches = new ArrayList<>();
    int inFlight;
    int mostInFlight;
    boolean answeredAfterStop;
  }

  private Seen run(int maxBatch, int maxInFlight) throws Exception {
    Context context = vertx.getOrCreateContext();
    Seen seen = new Seen();
    PacedCalls calls = new PacedCalls(vertx, 2_000, maxBatch, maxInFlight, n -> {
      seen.batches.add(n);
      seen.mostInFlight = Math.max(seen.mostInFlight, ++seen.inFlight);
      Promise<Void> answer = Promise.promise();
      vertx.setTimer(20, id -> {
        seen.inFlight--;
        answer.complete();
      });
      return answer.future();
    });
    context.runOnContext(v -> calls.start());
    Thread.sleep(300);
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    context.runOnContext(v -> calls.stop(5_000).onComplete(ar -> {
      seen.answeredAfterStop = seen.inFlight == 0;
      stopped.complete(null);
    }));
    stopped.get(10, TimeUnit.SECONDS);
    CompletableFuture<Seen> copy = new CompletableFuture<>();
    context.runOnContext(v -> copy.complete(seen));
    return copy.get(10, TimeUnit.SECONDS);
  }

  @Test
  void oneCallAtATimeTakesWhatFellDueMeanwhile() throws Exception {
    Seen seen = run(10, 1);

    assertThat(seen.mostInFlight).as("calls never overlap").isEqualTo(1);
    assertThat(seen.batches).allSatisfy(n -> assertThat(n).isBetween(1, 10));
    assertThat(seen.batches).as("due during a 20 ms call at 2000/s: a batch")
        .anySatisfy(n -> assertThat(n).isGreaterThan(1));
    assertThat(seen.batches.stream().mapToInt(Integer::intValue).sum()).isBetween(100, 700);
    assertThat(seen.answeredAfterStop).as("stop waits for the call in flight").isTrue();
  }

  @Test
  void overlappingCallsStayWithinTheirBound() throws Exception {
    Seen seen = run(3, 4);

    assertThat(seen.mostInFlight).isEqualTo(4);
    assertThat(seen.batches).allSatisfy(n -> assertThat(n).isBetween(1, 3));
    assertThat(seen.answeredAfterStop).isTrue();
  }
}
