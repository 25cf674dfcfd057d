package io.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proxy keys of docs/proxy.md: names resolve, endpoints are http(s) URLs, and mistakes name their key. */
class ProxyConfigTest {
  @TempDir
  Path dir;

  private SwitchboardConfig load(String yaml) throws Exception {
    Path file = dir.resolve("c-" + System.nanoTime() + ".yaml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(file, Map.of("SWITCHBOARD_TOKEN_HMAC_SECRET", "0123456789abcdef0123456789abcdef",
        "SWITCHBOARD_DEMO", "true", "HOSTNAME", "h"));
  }

  @Test
  void noProxiesByDefault() throws Exception {
    ProxyConfig p = load("{}\n").proxy();
    assertThat(p.proxies()).isEmpty();
    assertThat(p.connectProxy()).isEmpty();
    assertThat(p.namespace("chat").publish()).isEmpty();
    assertThat(p.maxInFlight()).isEqualTo(2048);
  }

  @Test
  void namedProxiesAndTheNamespacesThatUseThem() throws Exception {
    ProxyConfig p = load("""
        proxies:
          - {name: app, endpoint: "http://app:3000/centrifugo", http_headers: [Cookie, Authorization],
             static_http_headers: {X-Secret: s3}}
          - {name: mod, endpoint: "https://mod.example/publish", timeout: 250ms}
        connect_proxy: app
        rpc_proxy: app
        channels:
          namespaces:
            chat:
              publish_proxy: mod
              subscribe_proxy: app
        """).proxy();
    assertThat(p.endpoint("app").timeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.endpoint("mod").timeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(p.endpoint("app").staticHeaders()).containsEntry("X-Secret", "s3");
    assertThat(p.namespace("chat").publish()).isEqualTo("mod");
    assertThat(p.namespace("chat").subRefresh()).isEmpty();
    assertThat(p.forwardedHeaders()).containsExactly("cookie", "authorization");
    assertThat(List.of(p.connectProxy(), p.rpcProxy(), p.refreshProxy())).containsExactly("app", "app", "");
  }

  @Test
  void mistakesNameTheirKey() {
    assertThatThrownBy(() -> load("connect_proxy: nope\n")).hasMessageContaining("connect_proxy")
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> load("""
        proxies: [{name: a, endpoint: "http://a/"}]
        channels: {namespaces: {chat: {publish_proxy: b}}}
        """)).hasMessageContaining("channels.namespaces.chat.publish_proxy");
    assertThatThrownBy(() -> load("proxies: [{name: a, endpoint: \"file:///etc/passwd\"}]\n"))
        .hasMessageContaining("proxies[0].endpoint");
    assertThatThrownBy(() -> load("proxies: [{name: a, endpoint: \"http://a/\", tiemout: 1s}]\n"))
        .hasMessageContaining("tiemout");
    assertThatThrownBy(() -> load("connect_proxy_always: true\n")).hasMessageContaining("connect_proxy_always");
  }
}
