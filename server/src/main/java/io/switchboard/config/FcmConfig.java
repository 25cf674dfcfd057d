package io.switchboard.config;

import java.net.URI;
import java.nio.file.Path;

/**
 * Firebase Cloud Messaging (HTTP v1 API), on when {@code push.fcm.credentials_file} is set. The service-account
 * JSON names the project and the OAuth2 {@code token_uri} (honoured as written, so a local token server works);
 * {@code endpoint} is the FCM origin ({@code https://fcm.googleapis.com}); {@code trustFile}, when not null, a PEM
 * CA trusted (in addition to none other) for both the token server and the endpoint, for local stand-ins.
 */
public record FcmConfig(Path credentialsFile, URI endpoint, Path trustFile) {
  public static final String DEFAULT_ENDPOINT = "https://fcm.googleapis.com";
}
