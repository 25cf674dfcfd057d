package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.history.HistoryStore;
import io.switchboard.model.DeadlineExceeded;
import io.switchboard.model.Publication;
import io.switchboard.model.StreamPosition;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The publish deadline of {@link PublishBatcher}, against a store that hangs, times out or answers late: each
 * publish is answered within its deadline, a statement that may have committed is never retried (it could
 * write twice), and what commits after the deadline is still delivered, once.
 */
class PublishDeadlineTest {
  static final long DEADLINE_MS = 300;

  Vertx vertx;
  Context context;
  final AtomicInteger appends = new AtomicInteger();
  final List<Publication> dispatched = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void publishesWaitingBehindAHungStatementAreAnsweredAtTheirDeadline() throws Exception {
    PublishBatcher batcher = batcher(pubs -> Promise.<Map<String, HistoryStore.AppendResult>>promise().future());
    long t = System.nanoTime();
    CompletableFuture<Throwable> first = publish(batcher, "a");
    Thread.sleep(50); // the first is in flight now; the second waits for its channel
    CompletableFuture<Throwable> second = publish(batcher, "a");
    assertThat(first.get(5, TimeUnit.SECONDS)).isInstanceOf(DeadlineExceeded.class);
    assertThat(second.get(5, TimeUnit.SECONDS)).isInstanceOf(DeadlineExceeded.class);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t)).isLessThan(DEADLINE_MS + 50 + 1_000);
    assertThat(appends.get()).as("the waiting publish is never written").isEqualTo(1);
  }

  @Test
  void aBatchThatMayHaveCommittedIsNotRetriedChannelByChannel() throws Exception {
    PublishBatcher batcher = batcher(pubs -> Future.failedFuture(new DeadlineExceeded("statement", DEADLINE_MS)));
    List<CompletableFuture<Throwable>> both = publishInOneTurn(batcher, "a", "b");
    for (CompletableFuture<Throwable> f : both) {
      assertThat(f.get(5, TimeUnit.SECONDS)).isInstanceOf(DeadlineExceeded.class);
    }
    assertThat(appends.get()).isEqualTo(1);
  }

  @Test
  void aRefusedBatchIsStillRetriedChannelByChannel() throws Exception {
    PublishBatcher batcher = batcher(pubs -> Future.failedFuture(new IllegalStateException("refused")));
    for (CompletableFuture<Throwable> f : publishInOneTurn(batcher, "a", "b")) {
      assertThat(f.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
    }
    assertThat(appends.get()).isEqualTo(3);
  }

  @Test
  void whatCommitsAfterTheDeadlineIsDeliveredOnce() throws Exception {
    PublishBatcher batcher = batcher(pubs -> {
      Promise<Map<String, HistoryStore.AppendResult>> late = Promise.promise();
      vertx.setTimer(DEADLINE_MS * 2, id -> late.complete(committed(pubs)));
      return late.future();
    });
    assertThat(publish(batcher, "a").get(5, TimeUnit.SECONDS)).isInstanceOf(DeadlineExceeded.class);
    long until = System.currentTimeMillis() + 5_000;
    while (dispatched.isEmpty() && System.currentTimeMillis() < until) {
      Thread.sleep(20);
    }
    Thread.sleep(100);
    assertThat(dispatched).hasSize(1);
    assertThat(dispatched.get(0).offset()).isEqualTo(1);
  }

  // ---- helpers ------------------------------------------------------------------------------------------

  PublishBatcher batcher(Function<Map<String, List<Publication>>, Future<Map<String, HistoryStore.AppendResult>>> appendAll) {
    HistoryStore store = (HistoryStore) Proxy.newProxyInstance(HistoryStore.class.getClassLoader(),
        new Class<?>[] {HistoryStore.class}, (proxy, method, args) -> {
          if (!method.getName().equals("appendAll")) {
            throw new UnsupportedOperationException(method.getName());
          }
          appends.incrementAndGet();
          @SuppressWarnings("unchecked")
          Map<String, List<Publication>> pubs = (Map<String, List<Publication>>) args[0];
          return appendAll.apply(pubs);
        });
    Dispatch dispatch = new Dispatch() {
      @Override
      public void publications(String channel, List<Publication> pubs, long acceptedAtMillis) {
        dispatched.addAll(pubs);
      }

      @Override
      public void joinLeave(JoinLeave event) {}
    };
    return new PublishBatcher(context, store, dispatch, DEADLINE_MS);
  }

  /** Publishes on the batcher's loop; completes with the failure (null on success). */
  CompletableFuture<Throwable> publish(PublishBatcher batcher, String channel) {
    return publishInOneTurn(batcher, channel).get(0);
  }

  List<CompletableFuture<Throwable>> publishInOneTurn(PublishBatcher batcher, String... channels) {
    List<CompletableFuture<Throwable>> out = new ArrayList<>();
    for (int i = 0; i < channels.length; i++) {
      out.add(new CompletableFuture<>());
    }
    context.runOnContext(v -> {
      for (int i = 0; i < channels.length; i++) {
        CompletableFuture<Throwable> f = out.get(i);
        batcher.add(new Publication(channels[i], 0, "{}", null, Map.of()))
            .onComplete(ar -> f.complete(ar.failed() ? ar.cause() : null));
      }
    });
    return out;
  }

  static Map<String, HistoryStore.AppendResult> committed(Map<String, List<Publication>> pubs) {
    Map<String, HistoryStore.AppendResult> out = new HashMap<>();
    pubs.forEach((channel, list) -> {
      List<Publication> stored = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        Publication p = list.get(i);
        stored.add(new Publication(channel, i + 1, p.data(), p.json(), p.info(), p.tags()));
      }
      out.put(channel, new HistoryStore.AppendResult(new StreamPosition(list.size(), "e"), stored, false));
    });
    return out;
  }
}
