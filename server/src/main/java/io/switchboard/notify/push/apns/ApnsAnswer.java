package io.switchboard.notify.push.apns;

import io.switchboard.notify.push.PushResult;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * What an APNs answer means for the device (Apple, "Handling notification responses from APNs"): the status and
 * the {@code reason} of the JSON error body.
 */
final class ApnsAnswer {
  static final String EXPIRED_PROVIDER_TOKEN = "ExpiredProviderToken";
  static final String INVALID_PROVIDER_TOKEN = "InvalidProviderToken";
  static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);

  private ApnsAnswer() {}

  /** The {@code reason} of an error body, or null when there is none (a 200 has an empty body). */
  static String reason(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return new JsonObject(body).getValue("reason") instanceof String r ? r : null;
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  static PushResult map(int status, String reason, String retryAfterHeader, Instant now) {
    String why = reason != null ? reason : "HTTP " + status;
    if (status == 200) {
      return PushResult.sent(status);
    }
    if (status == 410 || status == 400 && ("BadDeviceToken".equals(reason) || "DeviceTokenNotForTopic".equals(reason))) {
      return PushResult.gone(status, why);
    }
    if (status == 429 || status >= 500) {
      return PushResult.retry(status, retryAfter(retryAfterHeader, now), why);
    }
    return PushResult.rejected(status, why);
  }

  /** Retry-After as delay-seconds or an HTTP-date, capped at a day; null when absent or unreadable. */
  static Duration retryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    Duration d;
    try {
      d = Duration.ofSeconds(Long.parseLong(value.strip()));
    } catch (NumberFormatException notSeconds) {
      try {
        d = Duration.between(now, ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
      } catch (DateTimeParseException unreadable) {
        return null;
      }
    }
    if (d.isNegative()) {
      return Duration.ZERO;
    }
    return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
  }
}
