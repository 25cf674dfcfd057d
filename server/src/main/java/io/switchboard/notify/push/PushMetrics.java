package io.switchboard.notify.push;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Web Push meters: {@code switchboard_push_sent_total}, {@code switchboard_push_failed_total{reason}},
 * {@code switchboard_push_retried_total}, {@code switchboard_push_subscriptions_removed_total} (404/410),
 * {@code switchboard_push_queue_age_seconds} (enqueue to accepted by the push service) and the gauges
 * {@code switchboard_push_queue_jobs} and {@code switchboard_push_queue_oldest_seconds} (the whole queue, as
 * seen by this node's sender at its last poll).
 */
public final class PushMetrics {
  private final MeterRegistry registry;
  private final Counter sent;
  private final Counter retried;
  private final Counter removed;
  private final Timer queueAge;
  private final Map<String, Counter> failed = new ConcurrentHashMap<>();
  final AtomicLong queuedJobs = new AtomicLong();
  final AtomicLong oldestMillis = new AtomicLong();

  public PushMetrics(MeterRegistry registry) {
    this.registry = registry;
    sent = Counter.builder("switchboard_push_sent").description("Push messages accepted by a push service")
        .register(registry);
    retried = Counter.builder("switchboard_push_retried")
        .description("Push jobs rescheduled after a 429, 5xx or network error").register(registry);
    removed = Counter.builder("switchboard_push_subscriptions_removed")
        .description("Push subscriptions deleted because the push service answered 404 or 410").register(registry);
    queueAge = Timer.builder("switchboard_push_queue_age")
        .description("From a push job's enqueue to its message being accepted by the push service")
        .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10),
            Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofHours(1))
        .register(registry);
    Gauge.builder("switchboard_push_queue_jobs", queuedJobs, AtomicLong::get)
        .description("Push jobs waiting in PostgreSQL (due or scheduled for retry)").register(registry);
    Gauge.builder("switchboard_push_queue_oldest_seconds", oldestMillis, v -> v.get() / 1000.0)
        .description("Age of the oldest waiting push job").register(registry);
  }

  void sent(Duration sinceEnqueue) {
    sent.increment();
    queueAge.record(sinceEnqueue);
  }

  void retried() {
    retried.increment();
  }

  void removed() {
    removed.increment();
  }

  /** reason: rejected (4xx), given_up (max_attempts), expired (past its TTL). */
  void failed(String reason) {
    failed.computeIfAbsent(reason, r -> Counter.builder("switchboard_push_failed")
        .description("Push messages that will not be sent, by reason").tag("reason", r).register(registry))
        .increment();
  }

  public double sentCount() {
    return sent.count();
  }

  public double retriedCount() {
    return retried.count();
  }

  public double failedCount(String reason) {
    Counter c = failed.get(reason);
    return c == null ? 0 : c.count();
  }

  public double removedCount() {
    return removed.count();
  }
}
