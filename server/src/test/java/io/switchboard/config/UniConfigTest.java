package io.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** uni.*: the unidirectional transports are on by default, each can be turned off, and typos are refused. */
class UniConfigTest {
  private static final Map<String, String> ENV = Map.of("HOSTNAME", "h", "SWITCHBOARD_DEMO", "true");

  @TempDir
  Path dir;

  private SwitchboardConfig load(String yaml) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, yaml);
    return ConfigLoader.load(f, ENV);
  }

  @Test
  void allOnByDefault() {
    assertThat(ConfigLoader.load(null, ENV).uni()).isEqualTo(new UniConfig(true, true, true));
  }

  @Test
  void eachCanBeTurnedOff() throws Exception {
    assertThat(load("uni:\n  sse: false\n").uni()).isEqualTo(new UniConfig(true, false, true));
    assertThat(load("uni:\n  websocket: false\n  http_stream: false\n").uni())
        .isEqualTo(new UniConfig(false, true, false));
  }

  @Test
  void unknownKeysAndWrongTypesAreRefused() {
    assertThatThrownBy(() -> load("uni:\n  eventsource: true\n")).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.key()).startsWith("uni"));
    assertThatThrownBy(() -> load("uni:\n  sse: maybe\n")).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.key()).isEqualTo("uni.sse"));
  }
}
