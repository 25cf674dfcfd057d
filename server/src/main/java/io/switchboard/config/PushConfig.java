package io.switchboard.config;

import java.time.Duration;
import java.util.List;

/**
 * Web Push (RFC 8030/8291/8292) for users with no live connection. VAPID keys are base64url: the public key an
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
    Duration retryBase) {

  /** The parsed allowlist (validated at load, so this does not throw for a loaded configuration). */
  public EndpointAllowlist allowlist() {
    return EndpointAllowlist.parse(allowedEndpoints, allowInsecureLocalhost);
  }
}
