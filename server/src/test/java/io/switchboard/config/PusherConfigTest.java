package io.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PusherConfigTest {
  @TempDir
  Path dir;

  private SwitchboardConfig load(String yaml, String... kv) throws IOException {
    Path file = dir.resolve("conf-" + System.nanoTime() + ".yaml");
    Files.writeString(file, yaml);
    Map<String, String> env = new HashMap<>();
    env.put("HOSTNAME", "test-host");
    env.put("SWITCHBOARD_PUSH_VAPID_PUBLIC_KEY", ConfigLoaderTest.VAPID_PUBLIC);
    env.put("SWITCHBOARD_PUSH_VAPID_PRIVATE_KEY", ConfigLoaderTest.VAPID_PRIVATE);
    env.put("SWITCHBOARD_TOKEN_HMAC_SECRET", ConfigLoaderTest.SECRET);
    for (int i = 0; i < kv.length; i += 2) {
      env.put(kv[i], kv[i + 1]);
    }
    return ConfigLoader.load(file, env);
  }

  @Test
  void offByDefault() throws IOException {
    PusherConfig p = load("{}\n").pusher();
    assertThat(p.enabled()).isFalse();
    assertThat(p.activityTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(p.clientEventsPerSecond()).isEqualTo(10);
  }

  @Test
  void severalAppsFromTheFileAndOneFromTheEnvironment() throws IOException {
    PusherConfig p = load("""
        pusher:
          apps:
            - {id: "1", key: k1, secret: secret-one-0123456789, enable_client_messages: true}
            - {id: shop, key: k2, secret: secret-two-0123456789}
        """, "SWITCHBOARD_PUSHER_APP_ID", "3", "SWITCHBOARD_PUSHER_APP_KEY", "k3",
        "SWITCHBOARD_PUSHER_APP_SECRET", "secret-three-0123456789").pusher();
    assertThat(p.apps()).containsExactly(
        new PusherConfig.App("1", "k1", "secret-one-0123456789", true),
        new PusherConfig.App("shop", "k2", "secret-two-0123456789", false),
        new PusherConfig.App("3", "k3", "secret-three-0123456789", false));
  }

  @Test
  void refusesBadApps() {
    assertThatThrownBy(() -> load("pusher:\n  apps: [{id: a, key: k, secret: short}]\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("pusher.apps[0].secret");
    assertThatThrownBy(() -> load("pusher:\n  apps: [{id: 'a:b', key: k, secret: secret-0123456789abc}]\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("pusher.apps[0].id");
    assertThatThrownBy(() -> load("pusher:\n  apps: [{id: a, key: k, secret: secret-0123456789abc, x: 1}]\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("pusher.apps[0].x");
    assertThatThrownBy(() -> load("""
        pusher:
          apps:
            - {id: a, key: k, secret: secret-0123456789abc}
            - {id: b, key: k, secret: secret-0123456789abc}
        """)).isInstanceOf(ConfigException.class).hasMessageContaining("used twice");
    assertThatThrownBy(() -> load("{}\n", "SWITCHBOARD_PUSHER_APP_KEY", "k"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("pusher.app_id");
  }

  @Test
  void webhooksPerAppAsSoketisWithAllEventTypesByDefault() throws IOException {
    PusherConfig p = load("""
        pusher:
          apps:
            - id: "1"
              key: k1
              secret: secret-one-0123456789
              webhooks:
                - {url: "https://app.example/hooks", event_types: [member_added, client_event]}
                - url: http://127.0.0.1:9/all
            - {id: "2", key: k2, secret: secret-two-0123456789}
        """).pusher();
    assertThat(p.webhooks()).isTrue();
    assertThat(p.apps().get(0).webhooks()).containsExactly(
        new PusherConfig.Webhook("https://app.example/hooks", java.util.Set.of("member_added", "client_event")),
        new PusherConfig.Webhook("http://127.0.0.1:9/all", java.util.Set.copyOf(PusherConfig.WEBHOOK_EVENTS)));
    assertThat(p.apps().get(1).webhooks()).isEmpty();
  }

  @Test
  void badWebhooksAreRefusedNamingTheKey() {
    String app = "pusher:\n  apps:\n    - {id: a, key: k, secret: secret-0123456789abc, webhooks: %s}\n";
    assertThatThrownBy(() -> load(app.formatted("[{url: \"ftp://x/\"}]")))
        .hasMessageContaining("pusher.apps[0].webhooks[0].url");
    assertThatThrownBy(() -> load(app.formatted("[{url: \"http://x/\", event_types: [client_connected]}]")))
        .hasMessageContaining("pusher.apps[0].webhooks[0].event_types").hasMessageContaining("client_connected");
    assertThatThrownBy(() -> load(app.formatted("[{url: \"http://x/\", secret: s}]")))
        .hasMessageContaining("pusher.apps[0].webhooks[0].secret");
    assertThatThrownBy(() -> load(app.formatted("\"http://x/\"")))
        .hasMessageContaining("pusher.apps[0].webhooks");
  }
}
