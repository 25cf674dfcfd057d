package io.switchboard.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigLoader;
import io.switchboard.config.OutboxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code outbox:} keys: defaults, and the values that stop the server. */
class OutboxConfigTest {
  @TempDir
  Path dir;

  OutboxConfig load(String yaml) throws Exception {
    Path conf = dir.resolve("c.yaml");
    Files.writeString(conf, yaml);
    return ConfigLoader.load(conf, Map.of()).outbox();
  }

  @Test
  void defaults() {
    OutboxConfig o = ConfigLoader.load(null, Map.of()).outbox();
    assertThat(o).isEqualTo(new OutboxConfig(true, Duration.ofSeconds(5), 500));
  }

  @Test
  void overrides() throws Exception {
    assertThat(load("outbox: {enabled: false, poll_interval: 250ms, batch_size: 1}\n"))
        .isEqualTo(new OutboxConfig(false, Duration.ofMillis(250), 1));
  }

  @Test
  void rejectsAZeroPollIntervalABadBatchSizeAndUnknownKeys() {
    assertThatThrownBy(() -> load("outbox: {poll_interval: 0}\n"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("outbox.poll_interval"));
    assertThatThrownBy(() -> load("outbox: {batch_size: 0}\n"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("outbox.batch_size"));
    assertThatThrownBy(() -> load("outbox: {batch_size: 10001}\n"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("outbox.batch_size"));
    assertThatThrownBy(() -> load("outbox: {pol_interval: 1s}\n"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).startsWith("outbox."));
  }
}
