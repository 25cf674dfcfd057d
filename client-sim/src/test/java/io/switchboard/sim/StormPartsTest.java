package io.switchboard.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two pieces the storm scenario adds: centrifuge-js's reconnect backoff and a run-wide time base. */
class StormPartsTest {
  private static EngineConfig config(boolean sdk) {
    return new EngineConfig(List.of(), false, List.of(), null, false, Protocol.JSON, 0, 1, 1, 1, 0,
        Duration.ofSeconds(1), Duration.ofSeconds(1), null, 0, Duration.ofMillis(100), Duration.ofMillis(1000), sdk,
        false, i -> null);
  }

  @Test
  void sdkBackoffIsFullJitterFromHalfASecondCappedAtTwentySeconds() {
    EngineConfig c = config(true);
    long firstMax = 0;
    long thirdMax = 0;
    long tenthMin = Long.MAX_VALUE;
    for (int i = 0; i < 5_000; i++) {
      long first = SimConnection.reconnectDelay(c, 1);
      assertThat(first).isBetween(500L, 1_000L);
      firstMax = Math.max(firstMax, first);
      long third = SimConnection.reconnectDelay(c, 3);
      assertThat(third).isBetween(500L, 2_500L);
      thirdMax = Math.max(thirdMax, third);
      long tenth = SimConnection.reconnectDelay(c, 10);
      assertThat(tenth).isBetween(500L, 20_000L);
      tenthMin = Math.min(tenthMin, tenth);
    }
    assertThat(firstMax).as("the window is used, not only its floor").isGreaterThan(900);
    assertThat(thirdMax).isGreaterThan(2_000);
    assertThat(tenthMin).isLessThan(5_000);
  }

  @Test
  void theRunBaseIsTheSameInEveryProcessOfTheRun() throws Exception {
    String runId = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    SimClock.setRun(runId);
    long base = SimClock.runBaseMicros();
    Thread.sleep(30);
    SimClock.setRun(runId); // a child process parsing the same id later finds the same instant
    assertThat(Math.abs(SimClock.runBaseMicros() - base)).isLessThanOrEqualTo(1_000);
    assertThat(SimClock.sinceRunStart(SimClock.nowMicros())).isBetween(25_000L, 5_000_000L);
  }
}
