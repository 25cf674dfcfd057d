package io.switchboard.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Webhooks (docs/webhooks.md): signed batches of occupancy and presence events POSTed to {@code urls}, from a
 * durable PostgreSQL queue. Off when {@code urls} is empty.
 *
 * <p>{@code flushInterval}: how often a node writes its changes of occupancy to PostgreSQL (one statement);
 * {@code pollInterval}: how often a node looks for due events it did not enqueue itself (retries, other nodes');
 * {@code timeout}: the deadline of one POST; {@code retryBase}/{@code retryMax}: the backoff between attempts;
 * {@code maxAge}: an event still undelivered this long after it happened is dropped (and counted failed).
 */
public record WebhookConfig(List<String> urls, String secret, Set<String> events, int batchSize, int maxBatchBytes,
    Duration timeout, Duration flushInterval, Duration pollInterval, Duration retryBase, Duration retryMax,
    Duration maxAge) {

  /** Every event type Switchboard can send. */
  public static final List<String> ALL_EVENTS = List.of("channel_occupied", "channel_vacated", "member_added",
      "member_removed", "client_connected", "client_disconnected");

  public static final WebhookConfig OFF = new WebhookConfig(List.of(), "", Set.copyOf(ALL_EVENTS), 100, 262_144,
      Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(500),
      Duration.ofSeconds(60), Duration.ofHours(24));

  public boolean enabled() {
    return !urls.isEmpty();
  }

  public boolean wants(String event) {
    return events.contains(event);
  }
}
