package io.switchboard.notify.push;

import java.time.Duration;

/**
 * A push service's answer for one device. {@code status} is the HTTP status, 0 for a network error or a
 * timeout; {@code retryAfter} the service's Retry-After when it gave one (else null); {@code reason} its error
 * code ({@code UNREGISTERED}, {@code BadDeviceToken}, ...) or a short description, for logs.
 */
public record PushResult(Outcome outcome, int status, Duration retryAfter, String reason) {

  public enum Outcome {
    /** Accepted by the service: never sent again for this job. */
    SENT,
    /** The token is dead for good (FCM UNREGISTERED/INVALID_ARGUMENT, APNs 410/BadDeviceToken, Web Push 404/410): the device is deleted. */
    DEVICE_GONE,
    /** 429, 5xx, a network error or timeout: the job is retried later (with {@code retryAfter} when longer). */
    RETRY,
    /** Refused for another reason (a bad payload, a 4xx): not retried, the device is kept. */
    REJECTED
  }

  public static PushResult sent(int status) {
    return new PushResult(Outcome.SENT, status, null, null);
  }

  public static PushResult gone(int status, String reason) {
    return new PushResult(Outcome.DEVICE_GONE, status, null, reason);
  }

  public static PushResult retry(int status, Duration retryAfter, String reason) {
    return new PushResult(Outcome.RETRY, status, retryAfter, reason);
  }

  public static PushResult rejected(int status, String reason) {
    return new PushResult(Outcome.REJECTED, status, null, reason);
  }
}
