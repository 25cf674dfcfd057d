package io.switchboard.config;

import java.util.List;

/**
 * Web Push (RFC 8030/8291/8292) for users with no live connection. VAPID keys are base64url: the public key an
 * uncompressed P-256 point, the private key the 32-byte scalar. {@code allowedEndpoints} lists the push-service
 * origins subscriptions may point at (https only; a leading {@code *.} matches subdomains).
 */
public record PushConfig(
    boolean enabled,
    String vapidPublicKey,
    String vapidPrivateKey,
    String vapidSubject,
    List<String> allowedEndpoints,
    int senderThreads,
    int maxAttempts) {}
