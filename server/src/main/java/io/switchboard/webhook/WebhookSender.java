package io.switchboard.webhook;

import io.switchboard.config.WebhookConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the queue of one target URL, on one event loop, never blocking: claim a batch (bounded in count),
 * keep the head of it that fits the byte bound (the rest is released at once), POST it signed, then delete it
 * on a 2xx or reschedule it with backoff otherwise. One batch per target is in flight on this node; other
 * nodes send their own claims. A batch that fills the count bound is followed at once by the next; after a
 * failure the target waits for the next poll or wake-up.
 */
final class WebhookSender {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
  /** Beyond the POST's own deadline, time for the delete or reschedule before another node may retake it. */
  private static final Duration LEASE_MARGIN = Duration.ofSeconds(10);

  private final String target;
  private final String url;
  private final WebhookConfig config;
  private final WebhookQueue queue;
  private final WebhookFormat format;
  private final WebClient http;
  private final WebhookMetrics metrics;
  private final Duration lease;
  private boolean busy;
  private boolean again;
  private long lastErrorLog;

  /** {@code target}: the queue rows' target id; {@code url}: where they go. */
  WebhookSender(String target, String url, WebhookConfig config, WebhookQueue queue, WebhookFormat format,
      WebClient http, WebhookMetrics metrics) {
    this.target = target;
    this.url = url;
    this.config = config;
    this.queue = queue;
    this.format = format;
    this.http = http;
    this.metrics = metrics;
    this.lease = config.timeout().plus(LEASE_MARGIN);
  }

  /** Sends what is due; called on the sender's context (timer, wake-up, or the previous batch). */
  void pump() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    again = false;
    queue.claim(target, config.batchSize(), lease)
        .compose(this::sendHead)
        .onComplete(ar -> {
          busy = false;
          if (ar.failed()) {
            logError("webhook queue of " + target + ": " + ar.cause());
          } else if (ar.result() || again) {
            pump();
          }
        });
  }

  /** Sends the head of {@code claimed} that fits the byte bound; yields whether to go on at once. */
  private Future<Boolean> sendHead(List<WebhookQueue.Claimed> claimed) {
    if (claimed.isEmpty()) {
      return Future.succeededFuture(false);
    }
    List<WebhookQueue.Claimed> head = new ArrayList<>();
    int bytes = 64;
    for (WebhookQueue.Claimed c : claimed) {
      int size = format.sizeOf(c.event());
      if (!head.isEmpty() && bytes + size > config.maxBatchBytes()) {
        break;
      }
      head.add(c);
      bytes += size;
    }
    List<WebhookQueue.Claimed> rest = claimed.subList(head.size(), claimed.size());
    Future<Void> released = rest.isEmpty() ? Future.succeededFuture() : queue.release(List.copyOf(rest));
    boolean full = claimed.size() >= config.batchSize() || !rest.isEmpty();
    return released.compose(v -> post(head)).compose(ok -> ok
        ? queue.done(head).map(v -> {
          metrics.sent(head.stream().map(WebhookQueue.Claimed::event).toList());
          return full;
        })
        : queue.retry(head, config.retryBase(), config.retryMax(), config.maxAge()).map(expired -> {
          metrics.failed(expired);
          metrics.retried(head.size() - expired);
          return false;
        }));
  }

  /** POSTs one batch within the deadline; yields whether the receiver answered 2xx. */
  private Future<Boolean> post(List<WebhookQueue.Claimed> batch) {
    List<WebhookEvent> events = batch.stream().map(WebhookQueue.Claimed::event).toList();
    Buffer body = format.body(events, System.currentTimeMillis());
    long timeout = config.timeout().toMillis();
    Future<HttpResponse<Void>> sent = http.postAbs(url)
        .putHeaders(format.headers(body))
        .connectTimeout(timeout)
        .idleTimeout(timeout)
        .as(BodyCodec.none())
        .sendBuffer(body);
    return sent.timeout(timeout, TimeUnit.MILLISECONDS).transform(ar -> {
      if (ar.succeeded() && ar.result().statusCode() / 100 == 2) {
        return Future.succeededFuture(true);
      }
      logError("webhook POST of " + batch.size() + " events to " + url + " failed: "
          + (ar.succeeded() ? "HTTP " + ar.result().statusCode() : ar.cause().toString()) + "; retrying");
      return Future.succeededFuture(false);
    });
  }

  /** At most one line per 10 s per target: a receiver that is down would otherwise flood the log. */
  private void logError(String message) {
    long now = System.currentTimeMillis();
    if (now - lastErrorLog > 10_000) {
      lastErrorLog = now;
      LOG.warn(message);
    }
  }
}
