package io.switchboard.notify.push.fcm;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;

/**
 * A few HTTP/2 connections to FCM, the sends spread over them. Two habits of the JDK client are tamed here: it fails
 * a request beyond the server's SETTINGS_MAX_CONCURRENT_STREAMS (100 at FCM) instead of waiting, so each
 * connection carries at most {@link #STREAMS} at once; and requests issued together while no connection is up
 * each open their own (a burst of 200 opened a hundred TLS connections), so a connection that is not known to be
 * up carries one request alone first, the others waiting for its answer.
 */
final class FcmConnections implements AutoCloseable {
  static final int CONNECTIONS = 4;
  static final int STREAMS = 64;
  private static final int MAX_ANSWER_BYTES = 16 * 1024;

  private final Lane[] lanes = new Lane[CONNECTIONS];
  private final AtomicInteger next = new AtomicInteger();

  private static final class Lane {
    final HttpClient client;
    final Semaphore streams = new Semaphore(STREAMS);
    final ReentrantLock opening = new ReentrantLock();
    volatile boolean up;

    Lane(HttpClient client) {
      this.client = client;
    }
  }

  FcmConnections(Duration connectTimeout, SSLContext ssl) {
    for (int i = 0; i < CONNECTIONS; i++) {
      HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(connectTimeout)
          .followRedirects(HttpClient.Redirect.NEVER);
      if (ssl != null) {
        b.sslContext(ssl);
      }
      lanes[i] = new Lane(b.build());
    }
  }

  /**
   * Sends {@code req}; the answer's body is at most 16 KiB (FCM's are small; a proxy's error page need not be
   * read whole). Fails with a {@link TimeoutException} when no stream frees up before {@code untilNanos}.
   */
  CompletableFuture<HttpResponse<String>> send(HttpRequest req, long untilNanos) {
    Lane lane = lanes[Math.floorMod(next.getAndIncrement(), CONNECTIONS)];
    if (!lane.up) {
      if (!acquire(lane.opening, untilNanos)) {
        return CompletableFuture.failedFuture(new TimeoutException("timeout: connecting"));
      }
      try {
        if (!lane.up) {
          CompletableFuture<HttpResponse<String>> first = start(lane, req, untilNanos);
          try {
            first.get(Math.max(0, untilNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
          } catch (Exception e) {
            // its result (an error or a timeout) is the caller's to read
          }
          return first;
        }
      } finally {
        lane.opening.unlock();
      }
    }
    return start(lane, req, untilNanos);
  }

  private CompletableFuture<HttpResponse<String>> start(Lane lane, HttpRequest req, long untilNanos) {
    try {
      if (!lane.streams.tryAcquire(Math.max(0, untilNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        return CompletableFuture.failedFuture(new TimeoutException("timeout: all streams busy"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<HttpResponse<String>> sent = lane.client.sendAsync(req, FcmConnections::bounded);
    sent.whenComplete((r, e) -> {
      lane.streams.release();
      lane.up = e == null; // an answer proves the connection; a failure may mean it is gone
    });
    return sent;
  }

  private static boolean acquire(ReentrantLock lock, long untilNanos) {
    try {
      return lock.tryLock(Math.max(0, untilNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static HttpResponse.BodySubscriber<String> bounded(HttpResponse.ResponseInfo info) {
    return new HttpResponse.BodySubscriber<>() {
      private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
      private final CompletableFuture<String> done = new CompletableFuture<>();

      @Override
      public CompletionStage<String> getBody() {
        return done;
      }

      @Override
      public void onSubscribe(Flow.Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(List<ByteBuffer> items) {
        for (ByteBuffer b : items) {
          int n = Math.min(b.remaining(), MAX_ANSWER_BYTES - kept.size());
          if (n > 0) {
            byte[] chunk = new byte[n];
            b.get(chunk);
            kept.write(chunk, 0, n);
          }
        }
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onComplete() {
        done.complete(kept.toString(StandardCharsets.UTF_8));
      }
    };
  }

  @Override
  public void close() {
    for (Lane lane : lanes) {
      lane.client.shutdownNow(); // close() would wait for the requests in flight
    }
  }
}
