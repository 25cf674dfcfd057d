package io.switchboard.notify.push;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * One POST to a push service (RFC 8030 §5) with a blocking {@link HttpClient}: encrypted body, VAPID
 * authorization, TTL, Urgency and Topic. Redirects are never followed (the allowlist checked the endpoint, not
 * where it might redirect to). Only the push worker threads call it, and wait for the answers.
 */
final class PushPoster implements AutoCloseable {
  static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);

  /** The push service's answer; {@code status} 0 for a network error or timeout. */
  record Result(int status, Duration retryAfter, String error) {
    boolean accepted() {
      return status >= 200 && status < 300;
    }

    boolean gone() {
      return status == 404 || status == 410;
    }

    /** 429, 5xx and network errors are worth another try. */
    boolean retryable() {
      return status == 0 || status == 429 || status >= 500;
    }
  }

  private final HttpClient http;
  private final Vapid vapid;
  private final Duration timeout;
  private final Clock clock;

  PushPoster(Vapid vapid, Duration timeout, Clock clock) {
    this.vapid = vapid;
    this.timeout = timeout;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** Posts without blocking; the future completes with the answer, never exceptionally. */
  java.util.concurrent.CompletableFuture<Result> postAsync(URI endpoint, byte[] body, long ttl, String urgency,
      String topic) {
    HttpRequest.Builder req = HttpRequest.newBuilder(endpoint)
        .timeout(timeout)
        .header("Content-Type", "application/octet-stream")
        .header("Content-Encoding", "aes128gcm")
        .header("TTL", Long.toString(ttl))
        .header("Urgency", urgency)
        .header("Topic", topic)
        .header("Authorization", vapid.authorization(endpoint))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (endpoint.getScheme().equalsIgnoreCase("http")) {
      req.version(HttpClient.Version.HTTP_1_1); // loopback test services: no h2c upgrade dance
    }
    return http.sendAsync(req.build(), HttpResponse.BodyHandlers.discarding())
        .thenApply(r -> new Result(r.statusCode(), retryAfter(r.headers().firstValue("Retry-After").orElse(null)),
            null))
        .exceptionally(e -> new Result(0, null, e.toString()));
  }

  /** Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3); null when absent or unreadable. */
  Duration retryAfter(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    Duration d;
    try {
      d = Duration.ofSeconds(Long.parseLong(v));
    } catch (NumberFormatException notSeconds) {
      try {
        d = Duration.between(clock.instant(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
      } catch (DateTimeParseException unreadable) {
        return null;
      }
    }
    if (d.isNegative()) {
      return Duration.ZERO;
    }
    return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
  }

  @Override
  public void close() {
    http.close();
  }
}
