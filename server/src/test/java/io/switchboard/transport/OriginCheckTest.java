package io.switchboard.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The browser Origin rule: the Host header alone is trusted only in demo mode (DNS rebinding). */
class OriginCheckTest {

  @Test
  void productionTrustsOnlyListedHostsForTheSameHostRule() {
    OriginCheck none = new OriginCheck(List.of(), List.of(), false);
    assertThat(none.allows(null, "evil.example:8000")).isTrue(); // not a browser
    assertThat(none.allows("http://evil.example:8000", "evil.example:8000")).isFalse(); // rebound
    assertThat(none.allows("http://127.0.0.1:8000", "127.0.0.1:8000")).isFalse();

    OriginCheck hosts = new OriginCheck(List.of(), List.of("Chat.Example.com", "[::1]:8000"), false);
    assertThat(hosts.allows("https://chat.example.com", "chat.example.com")).isTrue();
    assertThat(hosts.allows("https://chat.example.com:8443", "chat.example.com:8443")).isTrue(); // any port
    assertThat(hosts.allows("http://[::1]:8000", "[::1]:8000")).isTrue();
    assertThat(hosts.allows("http://[::1]:9000", "[::1]:9000")).isFalse(); // listed with another port
    assertThat(hosts.allows("https://evil.example", "evil.example")).isFalse();
    assertThat(hosts.allows("https://chat.example.com", "evil.example")).isFalse(); // not the same host
  }

  @Test
  void listedOriginsAreAllowedWhateverTheHost() {
    OriginCheck origins = new OriginCheck(List.of("https://app.example"), List.of(), false);
    assertThat(origins.allows("https://APP.example", "api.example")).isTrue();
    assertThat(origins.allows("https://other.example", "other.example")).isFalse();
    assertThat(new OriginCheck(List.of("*"), List.of(), false).allows("http://any", "h")).isTrue();
  }

  @Test
  void demoModeKeepsAnySameHost() {
    OriginCheck demo = new OriginCheck(List.of(), List.of(), true);
    assertThat(demo.allows("http://localhost:8000", "localhost:8000")).isTrue();
    assertThat(demo.allows("http://evil.example", "localhost:8000")).isFalse();
  }
}
