package io.switchboard.config;

import java.time.Duration;
import java.util.List;

/**
 * Push to users with no live connection: Web Push (RFC 8030/8291/8292), on with {@code enabled}; FCM and APNs,
 * each on when configured ({@code fcm}, {@code apns} not null). All share one durable queue and its sender
 * ({@code senderThreads}, {@code maxAttempts}, {@code lease}, {@code retryBase}). VAPID keys are base64url: the public key an
 * uncompressed P-256 point, the private key the 32-byte scalar. {@code allowedEndpoints} lists the push-service
 * origins subscriptions may point at (https only; a leading {@code *.} matches subdomains;
 * {@code allowInsecureLocalhost} also admits {@code http://} loopback origins, for tests). {@code lease} is how
 * long a sender owns the jobs it claimed before another may take them over; {@code retryBase} the first retry
 * delay, doubled per attempt.
 */
public record PushConfig(
    boolean enabled,
    String vapidPublicKey,
    String vapidPrivateKey,
    String vapidSubject,
    List<String> allowedEndpoints,
    int senderThreads,
    int maxAttempts,
    boolean allowInsecureLocalhost,
    Duration lease,
    Duration retryBase,
    FcmConfig fcm,
    ApnsConfig apns) {

  /** Whether any platform is on: then the queue and its sender run. */
  public boolean anyProvider() {
    return enabled || fcm != null || apns != null;
  }

  /** The parsed allowlist (validated at load, so this does not throw for a loaded configuration). */
  public EndpointAllowlist allowlist() {
    return EndpointAllowlist.parse(allowedEndpoints, allowInsecureLocalhost);
  }
}
