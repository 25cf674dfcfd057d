package io.switchboard.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Webhook meters, counted per queue row (one event for one target): {@code switchboard_webhook_queued_total}
 * (enqueued by this node), {@code switchboard_webhook_sent_total} (answered 2xx),
 * {@code switchboard_webhook_retried_total} (rescheduled after an error, a non-2xx answer or a timeout),
 * {@code switchboard_webhook_failed_total} (dropped at {@code webhooks.max_age}), and
 * {@code switchboard_webhook_delay} (from the change to its 2xx).
 */
final class WebhookMetrics {
  private final Counter queued;
  private final Counter sent;
  private final Counter retried;
  private final Counter failed;
  private final Timer delay;

  WebhookMetrics(MeterRegistry registry) {
    queued = Counter.builder("switchboard_webhook_queued").description("Webhook events enqueued (per target)")
        .register(registry);
    sent = Counter.builder("switchboard_webhook_sent").description("Webhook events delivered with a 2xx (per target)")
        .register(registry);
    retried = Counter.builder("switchboard_webhook_retried")
        .description("Webhook events rescheduled after a failed POST (per target)").register(registry);
    failed = Counter.builder("switchboard_webhook_failed")
        .description("Webhook events dropped undelivered at webhooks.max_age (per target)").register(registry);
    delay = Timer.builder("switchboard_webhook_delay")
        .description("From an event's change to its delivery with a 2xx")
        .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10),
            Duration.ofMinutes(1), Duration.ofMinutes(10))
        .register(registry);
  }

  void queued(long n) {
    queued.increment(n);
  }

  void sent(java.util.List<WebhookEvent> events) {
    sent.increment(events.size());
    long now = System.currentTimeMillis();
    events.forEach(e -> delay.record(Duration.ofMillis(Math.max(0, now - e.timeMillis()))));
  }

  void retried(long n) {
    retried.increment(n);
  }

  void failed(long n) {
    failed.increment(n);
  }
}
