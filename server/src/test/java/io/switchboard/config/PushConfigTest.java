package io.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.crypto.VapidKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** push.*: VAPID keys required outside demo mode, generated in it; allowlist entries; env variables. */
class PushConfigTest {
  static final String PUB = ConfigLoaderTest.VAPID_PUBLIC;
  static final String PRIV = ConfigLoaderTest.VAPID_PRIVATE;
  static final String SECRET = "0123456789abcdef0123456789abcdef-secret";

  @TempDir
  Path dir;

  private static Map<String, String> production(String... kv) {
    Map<String, String> env = new HashMap<>(Map.of("HOSTNAME", "h", "SWITCHBOARD_PG_URL", "postgresql://u:p@db/sb",
        "SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET));
    for (int i = 0; i < kv.length; i += 2) {
      env.put(kv[i], kv[i + 1]);
    }
    return env;
  }

  private Path yaml(String text) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, text);
    return f;
  }

  private static void failsOn(String key, String messagePart, Path file, Map<String, String> env) {
    assertThatThrownBy(() -> ConfigLoader.load(file, env)).isInstanceOfSatisfying(ConfigException.class, e -> {
      assertThat(e.key()).isEqualTo(key);
      assertThat(e.getMessage()).contains(messagePart);
    });
  }

  @Test
  void missingKeysOutsideDemoModeAreAnErrorNamingTheKeyAndVariable() {
    failsOn("push.vapid_public_key", "SWITCHBOARD_PUSH_VAPID_PUBLIC_KEY", null, production());
    failsOn("push.vapid_private_key", "SWITCHBOARD_PUSH_VAPID_PRIVATE_KEY", null,
        production("SWITCHBOARD_PUSH_VAPID_PUBLIC_KEY", PUB));
    failsOn("push.vapid_public_key", "SWITCHBOARD_PUSH_VAPID_PUBLIC_KEY", null,
        production("SWITCHBOARD_PUSH_VAPID_PRIVATE_KEY", PRIV));
  }

  @Test
  void pushDisabledNeedsNoKeys() throws Exception {
    SwitchboardConfig c = ConfigLoader.load(yaml("push:\n  enabled: false\n"), production());
    assertThat(c.push().enabled()).isFalse();
  }

  @Test
  void configuredKeysAreValidatedAndCrossChecked() {
    SwitchboardConfig c = ConfigLoader.load(null, production("SWITCHBOARD_PUSH_VAPID_PUBLIC_KEY", PUB + "==",
        "SWITCHBOARD_PUSH_VAPID_PRIVATE_KEY", PRIV));
    assertThat(c.push().vapidPublicKey()).as("canonical unpadded base64url").isEqualTo(PUB);
    failsOn("push.vapid_public_key", "65-byte", null, production("SWITCHBOARD_PUSH_VAPID_PUBLIC_KEY", "k-12345678",
        "SWITCHBOARD_PUSH_VAPID_PRIVATE_KEY", PRIV));
    failsOn("push.vapid_private_key", "32-byte", null, production("SWITCHBOARD_PUSH_VAPID_PUBLIC_KEY", PUB,
        "SWITCHBOARD_PUSH_VAPID_PRIVATE_KEY", "k-12345678"));
    String[] other = VapidKeys.generate();
    failsOn("push.vapid_private_key", "does not belong", null, production("SWITCHBOARD_PUSH_VAPID_PUBLIC_KEY", PUB,
        "SWITCHBOARD_PUSH_VAPID_PRIVATE_KEY", other[1]));
    // a point off the curve (last byte of Y changed)
    byte[] point = java.util.Base64.getUrlDecoder().decode(PUB);
    point[64] ^= 1;
    failsOn("push.vapid_public_key", "not on the P-256 curve", null, production("SWITCHBOARD_PUSH_VAPID_PUBLIC_KEY",
        java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(point), "SWITCHBOARD_PUSH_VAPID_PRIVATE_KEY",
        PRIV));
  }

  @Test
  void demoModeGeneratesAPairPerProcessButNotOnACluster() {
    SwitchboardConfig c = ConfigLoader.load(null, Map.of("HOSTNAME", "h"));
    assertThat(c.demo()).isTrue();
    VapidKeys keys = VapidKeys.parse(c.push().vapidPublicKey(), c.push().vapidPrivateKey());
    assertThat(keys.publicKey()).isEqualTo(c.push().vapidPublicKey());
    assertThat(ConfigLoader.load(null, Map.of("HOSTNAME", "h")).push().vapidPublicKey())
        .isNotEqualTo(c.push().vapidPublicKey());
    failsOn("push.vapid_public_key", "shared by every node", null, production("SWITCHBOARD_DEMO", "true",
        "SWITCHBOARD_CLUSTER_MEMBERS", "10.0.0.1:5701"));
  }

  @Test
  void allowlistEntriesMustBeHttpsOriginsOrSubdomainWildcards() throws Exception {
    Map<String, String> env = production("SWITCHBOARD_PUSH_VAPID_PUBLIC_KEY", PUB,
        "SWITCHBOARD_PUSH_VAPID_PRIVATE_KEY", PRIV);
    SwitchboardConfig ok = ConfigLoader.load(null, with(env, "SWITCHBOARD_PUSH_ALLOWED_ENDPOINTS",
        "https://push.example,https://*.push.example:8443"));
    assertThat(ok.push().allowedEndpoints()).hasSize(2);
    for (String bad : new String[] {"http://push.example", "https://push.example/path", "https://push.example/",
        "push.example", "https://*", "http://127.0.0.1:9000", "https://a.*.example"}) {
      failsOn("push.allowed_endpoints", "", null, with(env, "SWITCHBOARD_PUSH_ALLOWED_ENDPOINTS", bad));
    }
    // loopback over http only with the test flag, and never for other hosts
    SwitchboardConfig local = ConfigLoader.load(yaml("push:\n  allow_insecure_localhost: true\n"),
        with(env, "SWITCHBOARD_PUSH_ALLOWED_ENDPOINTS", "http://127.0.0.1:9000,http://localhost:1"));
    assertThat(local.push().allowInsecureLocalhost()).isTrue();
    failsOn("push.allowed_endpoints", "https", yaml("push:\n  allow_insecure_localhost: true\n"),
        with(env, "SWITCHBOARD_PUSH_ALLOWED_ENDPOINTS", "http://10.0.0.1:9000"));
  }

  @Test
  void subjectLeaseAndDefaults() throws Exception {
    Map<String, String> env = production("SWITCHBOARD_PUSH_VAPID_PUBLIC_KEY", PUB,
        "SWITCHBOARD_PUSH_VAPID_PRIVATE_KEY", PRIV);
    failsOn("push.vapid_subject", "mailto:", null, with(env, "SWITCHBOARD_PUSH_VAPID_SUBJECT", "admin@example.com"));
    failsOn("push.lease", "at least 1s", yaml("push:\n  lease: 500ms\n"), env);
    failsOn("push.sender_threads", "", yaml("push:\n  sender_threads: 0\n"), env);
    PushConfig p = ConfigLoader.load(null, env).push();
    assertThat(p.allowInsecureLocalhost()).isFalse();
    assertThat(p.allowedEndpoints()).allMatch(e -> e.startsWith("https://"));
    assertThat(p.lease()).isEqualTo(java.time.Duration.ofSeconds(60));
  }

  private static Map<String, String> with(Map<String, String> env, String k, String v) {
    Map<String, String> m = new HashMap<>(env);
    m.put(k, v);
    return m;
  }
}
