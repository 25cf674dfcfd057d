package io.switchboard.config;

import java.net.URI;
import java.nio.file.Path;

/**
 * Apple Push Notification service over HTTP/2 with a provider token: the {@code .p8} key (PKCS#8 PEM, P-256)
 * signs an ES256 JWT with {@code kid = keyId} and {@code iss = teamId}; {@code topic} is the app's bundle id
 * ({@code apns-topic}). On when {@code push.apns.key_file} is set, and then every other key but
 * {@code trust_file} is required. {@code endpoint}: {@code https://api.push.apple.com}, or the sandbox
 * ({@code https://api.sandbox.push.apple.com}), or a local server; {@code trustFile}, when not null, the PEM CA
 * that server's certificate chains to (then it is the only one trusted).
 */
public record ApnsConfig(Path keyFile, String keyId, String teamId, String topic, URI endpoint, Path trustFile) {
  public static final String DEFAULT_ENDPOINT = "https://api.push.apple.com";
}
