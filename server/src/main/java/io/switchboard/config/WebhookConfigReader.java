package io.switchboard.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads and checks the {@code webhooks} section (kept apart from ConfigLoader, which other sections share). */
final class WebhookConfigReader {
  static final int MIN_SECRET_BYTES = 16;

  private WebhookConfigReader() {}

  static WebhookConfig read(Section s) {
    List<String> urls = s.strings("urls").stream().map(String::strip).filter(u -> !u.isEmpty()).toList();
    for (String url : urls) {
      ConfigLoader.checkHttpUrl(s.key("urls"), url);
    }
    if (urls.size() != Set.copyOf(urls).size()) {
      throw new ConfigException(s.key("urls"), "lists a URL twice");
    }
    String secret = s.string("secret");
    if (!urls.isEmpty() && secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new ConfigException(s.key("secret"), "webhooks need a secret of at least " + MIN_SECRET_BYTES
          + " bytes to sign their requests (SWITCHBOARD_WEBHOOK_SECRET)");
    }
    Set<String> events = new LinkedHashSet<>();
    for (String e : s.strings("events")) {
      if (!WebhookConfig.ALL_EVENTS.contains(e)) {
        throw new ConfigException(s.key("events"), "unknown event '" + e + "'; known: " + WebhookConfig.ALL_EVENTS);
      }
      events.add(e);
    }
    int batchSize = s.integer("batch_size", 1, 10_000);
    int maxBatchBytes = s.integer("max_batch_bytes", 1024, 64 * 1024 * 1024);
    Duration timeout = s.duration("timeout", false);
    Duration flush = s.duration("flush_interval", false);
    Duration poll = s.duration("poll_interval", false);
    Duration retryBase = s.duration("retry_base", false);
    Duration retryMax = s.duration("retry_max", false);
    Duration maxAge = s.duration("max_age", false);
    if (retryMax.compareTo(retryBase) < 0) {
      throw new ConfigException(s.key("retry_max"), "must be at least webhooks.retry_base");
    }
    if (timeout.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new ConfigException(s.key("timeout"), "must be at most 5m");
    }
    s.finish();
    return new WebhookConfig(urls, secret, Set.copyOf(events), batchSize, maxBatchBytes, timeout, flush, poll,
        retryBase, retryMax, maxAge);
  }
}
