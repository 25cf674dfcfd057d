package io.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** push.fcm and push.apns: off until configured, every key from its fixed environment variable, half-configured refused. */
class MobilePushConfigTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef-test";

  @TempDir Path dir;

  private Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>(Map.of("SWITCHBOARD_PG_URL", "postgresql://u:p@db/sb",
        "SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET, "SWITCHBOARD_PUSH_ENABLED", "false"));
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private Path file(String name) throws Exception {
    return Files.writeString(dir.resolve(name), "x");
  }

  @Test
  void bothAreOffUntilConfigured() {
    PushConfig p = ConfigLoader.load(null, env()).push();
    assertThat(p.fcm()).isNull();
    assertThat(p.apns()).isNull();
    assertThat(p.anyProvider()).isFalse();
  }

  @Test
  void everyFixedEnvironmentVariableApplies() throws Exception {
    Path creds = file("sa.json");
    Path ca = file("ca.pem");
    Path key = file("AuthKey.p8");
    PushConfig p = ConfigLoader.load(null, env(
        "SWITCHBOARD_PUSH_FCM_CREDENTIALS_FILE", creds.toString(),
        "SWITCHBOARD_PUSH_FCM_ENDPOINT", "https://127.0.0.1:9443",
        "SWITCHBOARD_PUSH_FCM_TRUST_FILE", ca.toString(),
        "SWITCHBOARD_PUSH_APNS_KEY_FILE", key.toString(),
        "SWITCHBOARD_PUSH_APNS_KEY_ID", "ABC123DEFG",
        "SWITCHBOARD_PUSH_APNS_TEAM_ID", "DEF123GHIJ",
        "SWITCHBOARD_PUSH_APNS_TOPIC", "com.example.chat",
        "SWITCHBOARD_PUSH_APNS_ENDPOINT", "https://localhost:8443/",
        "SWITCHBOARD_PUSH_APNS_TRUST_FILE", ca.toString(),
        "SWITCHBOARD_PUSH_SENDER_THREADS", "6")).push();
    assertThat(p.fcm()).isEqualTo(new FcmConfig(creds, URI.create("https://127.0.0.1:9443"), ca));
    assertThat(p.apns()).isEqualTo(new ApnsConfig(key, "ABC123DEFG", "DEF123GHIJ", "com.example.chat",
        URI.create("https://localhost:8443"), ca));
    assertThat(p.senderThreads()).isEqualTo(6);
    assertThat(p.anyProvider()).isTrue();
  }

  @Test
  void aHalfConfiguredApnsFailsTheStartNamingTheMissingKey() throws Exception {
    Path key = file("AuthKey.p8");
    assertThatThrownBy(() -> ConfigLoader.load(null, env("SWITCHBOARD_PUSH_APNS_KEY_FILE", key.toString(),
        "SWITCHBOARD_PUSH_APNS_KEY_ID", "ABC123DEFG", "SWITCHBOARD_PUSH_APNS_TOPIC", "com.example.chat")))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("push.apns.team_id");
          assertThat(e.getMessage()).contains("SWITCHBOARD_PUSH_APNS_TEAM_ID");
        });
    assertThatThrownBy(() -> ConfigLoader.load(null, env("SWITCHBOARD_PUSH_APNS_TOPIC", "com.example.chat")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("push.apns.key_file"));
  }

  @Test
  void aHalfConfiguredFcmFailsTheStartNamingTheMissingKey() {
    assertThatThrownBy(() -> ConfigLoader.load(null, env("SWITCHBOARD_PUSH_FCM_ENDPOINT", "https://127.0.0.1:9443")))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("push.fcm.credentials_file");
          assertThat(e.getMessage()).contains("SWITCHBOARD_PUSH_FCM_CREDENTIALS_FILE");
        });
  }

  @Test
  void unreadableFilesAndEndpointsWithPathsAreRefused() {
    assertThatThrownBy(() -> ConfigLoader.load(null, env("SWITCHBOARD_PUSH_FCM_CREDENTIALS_FILE",
        dir.resolve("missing.json").toString())))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("push.fcm.credentials_file"));
    assertThatThrownBy(() -> ConfigLoader.load(null, env("SWITCHBOARD_PUSH_FCM_ENDPOINT",
        "https://fcm.googleapis.com/v1/projects")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("push.fcm.endpoint"));
  }
}
