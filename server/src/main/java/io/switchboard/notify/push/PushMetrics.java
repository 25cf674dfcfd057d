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
 * Push meters, each tagged with {@code platform} ({@code fcm}, {@code apns}, {@code webpush}):
 * {@code switchboard_push_sent_total}, {@code switchboard_push_retried_total} (a device's answer was 429, 5xx or a
 * network error), {@code switchboard_push_failed_total{reason}} (dropped: rejected, given_up, expired,
 * no_provider), {@code switchboard_push_devices_removed_total} (dead tokens), {@code switchboard_push_queue_age}
 * (enqueue to accepted by the provider) and {@code switchboard_push_send_seconds} (one provider call); and the
 * gauges {@code switchboard_push_queue_jobs} and {@code switchboard_push_queue_oldest_seconds} (the whole queue,
 * as seen by this node's sender at its last poll).
 */
public final class PushMetrics {
  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  final AtomicLong queuedJobs = new AtomicLong();
  final AtomicLong oldestMillis = new AtomicLong();

  public PushMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("switchboard_push_queue_jobs", queuedJobs, AtomicLong::get)
        .description("Push jobs waiting in PostgreSQL (due, scheduled or to be retried)").register(registry);
    Gauge.builder("switchboard_push_queue_oldest_seconds", oldestMillis, v -> v.get() / 1000.0)
        .description("Age of the oldest waiting push job").register(registry);
  }

  void sent(String platform, Duration sinceEnqueue) {
    counter("switchboard_push_sent", "Push messages accepted by a provider", platform, null).increment();
    timers.computeIfAbsent("age:" + platform, k -> Timer.builder("switchboard_push_queue_age")
        .description("From a push job's enqueue to its message being accepted by the provider")
        .tag("platform", platform)
        .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10),
            Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofHours(1))
        .register(registry)).record(sinceEnqueue);
  }

  void call(String platform, Duration took) {
    timers.computeIfAbsent("send:" + platform, k -> Timer.builder("switchboard_push_send")
        .description("One call to a push provider (up to 100 devices, sent concurrently)")
        .tag("platform", platform)
        .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(250),
            Duration.ofSeconds(1), Duration.ofSeconds(5))
        .register(registry)).record(took);
  }

  void retried(String platform) {
    counter("switchboard_push_retried", "Push messages to be sent again after a 429, 5xx or network error",
        platform, null).increment();
  }

  void removed(String platform) {
    counter("switchboard_push_devices_removed", "Devices deleted because their provider said the token is dead",
        platform, null).increment();
  }

  /**
   * reason: rejected (a 4xx), given_up (max_attempts), expired (past its TTL), no_provider (platform off), error
   * (a job that could not be processed; platform "unknown").
   */
  void failed(String platform, String reason) {
    counter("switchboard_push_failed", "Push messages that will not be sent, by reason", platform, reason)
        .increment();
  }

  private Counter counter(String name, String description, String platform, String reason) {
    return counters.computeIfAbsent(name + ":" + platform + ":" + reason, k -> {
      Counter.Builder b = Counter.builder(name).description(description).tag("platform", platform);
      if (reason != null) {
        b.tag("reason", reason);
      }
      return b.register(registry);
    });
  }

  private double sum(String name, String reason) {
    return registry.find(name).tags(reason == null ? new String[0] : new String[] {"reason", reason}).counters()
        .stream().mapToDouble(Counter::count).sum();
  }

  public double sentCount() {
    return sum("switchboard_push_sent", null);
  }

  public double sentCount(String platform) {
    Counter c = counters.get("switchboard_push_sent:" + platform + ":null");
    return c == null ? 0 : c.count();
  }

  public double retriedCount() {
    return sum("switchboard_push_retried", null);
  }

  public double failedCount(String reason) {
    return sum("switchboard_push_failed", reason);
  }

  public double removedCount() {
    return sum("switchboard_push_devices_removed", null);
  }
}
