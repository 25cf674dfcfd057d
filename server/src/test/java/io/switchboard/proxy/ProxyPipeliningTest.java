package io.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.config.ProxyConfig;
import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 pipelining to the backend ({@code proxy_http_pipelining}), against a real backend over TCP that shows
 * what goes on the wire: more requests at the backend than connections, each caller its own answer, and a
 * request past its deadline on a pipelined connection handing no answer to the requests behind it.
 */
class ProxyPipeliningTest {
  PipelinedBackend backend;
  Vertx vertx;
  ProxyClient client;
  Context context;

  /**
   * A first request of a cold JVM (class loading of the HTTP client and server, on a busy machine) took over 2 s:
   * warm both sides up, so that the deadlines below measure the proxy, not the JIT.
   */
  @BeforeAll
  static void warmUp() throws Exception {
    ProxyPipeliningTest t = new ProxyPipeliningTest();
    t.start();
    try {
      ProxyConfig.Endpoint e = t.use(16, 4, Duration.ofSeconds(30));
      List<CompletableFuture<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        calls.add(t.call(e, i, 0));
      }
      for (CompletableFuture<Integer> c : calls) {
        c.get(60, TimeUnit.SECONDS);
      }
    } finally {
      t.stop();
    }
  }

  @BeforeEach
  void start() throws Exception {
    backend = new PipelinedBackend();
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    vertx.close();
    backend.close();
  }

  ProxyConfig.Endpoint use(int maxInFlight, int pipelining, Duration timeout) {
    ProxyConfig.Endpoint e = new ProxyConfig.Endpoint("app", backend.url(), timeout, List.of(), Map.of());
    client = new ProxyClient(vertx, new ProxyConfig(Map.of("app", e), "", false, "", "", Map.of(), maxInFlight,
        65536, 10_000, pipelining));
    return e;
  }

  /** One proxied publish from an event loop, as the gateway calls it: its answer's id, or its failure. */
  CompletableFuture<Integer> call(ProxyConfig.Endpoint e, int id, long delayMs) {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    Buffer body = new JsonObject().put("data", new JsonObject().put("id", id).put("delay_ms", delayMs)).toBuffer();
    context.runOnContext(v -> client.call(e, "publish", body, Map.of())
        .onComplete(ar -> {
          if (ar.succeeded()) {
            done.complete(ar.result().getInteger("id"));
          } else {
            done.completeExceptionally(ar.cause());
          }
        }));
    return done;
  }

  static Failure failureOf(CompletableFuture<Integer> f) {
    try {
      f.get(5, TimeUnit.SECONDS);
      return null;
    } catch (java.util.concurrent.ExecutionException x) {
      return x.getCause() instanceof CoreException c ? c.failure() : null;
    } catch (Exception x) {
      throw new AssertionError(x);
    }
  }

  @Test
  void requestsShareConnectionsUpToThePipeliningDepth() throws Exception {
    ProxyConfig.Endpoint e = use(8, 4, Duration.ofSeconds(2));
    List<CompletableFuture<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(call(e, i, 300));
    }
    for (int i = 0; i < 8; i++) {
      int id = i;
      assertThat(calls.get(i)).as("call %d; backend saw %s", id, backend.seen).succeedsWithin(Duration.ofSeconds(5))
          .isEqualTo(i);
    }
    // All 8 reached the backend before its first answer, over at most 8 / 4 connections.
    assertThat(backend.seenBeforeFirstAnswer).isEqualTo(8);
    assertThat(backend.connections()).isLessThanOrEqualTo(2);
  }

  @Test
  void withoutPipeliningEachRequestInFlightHasItsConnection() throws Exception {
    ProxyConfig.Endpoint e = use(8, 1, Duration.ofSeconds(2));
    List<CompletableFuture<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(call(e, i, 300));
    }
    for (int i = 0; i < 8; i++) {
      assertThat(calls.get(i).get(5, TimeUnit.SECONDS)).isEqualTo(i);
    }
    assertThat(backend.connections()).isEqualTo(8);
  }

  @Test
  void manyConcurrentCallsEachGetTheirOwnAnswer() throws Exception {
    ProxyConfig.Endpoint e = use(64, 8, Duration.ofSeconds(10)); // ample: a cold JVM, a shared machine
    List<CompletableFuture<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      calls.add(call(e, i, ThreadLocalRandom.current().nextInt(0, 5) == 0 ? ThreadLocalRandom.current().nextInt(1, 20) : 0));
    }
    for (int i = 0; i < calls.size(); i++) {
      assertThat(calls.get(i).get(20, TimeUnit.SECONDS)).isEqualTo(i);
    }
    assertThat(backend.connections()).isLessThanOrEqualTo(8);
    assertThat(backend.seen).hasSize(500);
  }

  @Test
  void aRequestPastItsDeadlineHandsItsLateAnswerToNoOther() throws Exception {
    // One connection, two requests deep: the fast request is pipelined behind the slow one.
    ProxyConfig.Endpoint e = use(2, 2, Duration.ofMillis(300));
    long start = System.nanoTime();
    CompletableFuture<Integer> slow = call(e, 1, 1000);
    CompletableFuture<Integer> fast = call(e, 2, 0);
    assertThat(failureOf(slow)).isEqualTo(Failure.INTERNAL);
    // The one behind it gets its own answer or the defined error, within its own deadline, never the slow one's.
    Failure behind = failureOf(fast);
    if (behind == null) {
      assertThat(fast.get()).isEqualTo(2);
    } else {
      assertThat(behind).isEqualTo(Failure.INTERNAL);
    }
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(900);
    assertThat(backend.seen).extracting(PipelinedBackend.Seen::connection).containsExactly(1, 1);

    // Later requests, before and after the slow answer would have gone out, get their own answers.
    assertThat(call(e, 3, 0).get(5, TimeUnit.SECONDS)).isEqualTo(3);
    Thread.sleep(Math.max(0, 1200 - (System.nanoTime() - start) / 1_000_000));
    for (int i = 4; i < 8; i++) {
      assertThat(call(e, i, 0).get(5, TimeUnit.SECONDS)).isEqualTo(i);
    }
    assertThat(client.inFlight()).isZero();
  }
}
