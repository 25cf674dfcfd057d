package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.gateway.CommandRateLimit.Verdict;
import org.junit.jupiter.api.Test;

/** The token bucket of commands, on a clock of its own. */
class CommandRateLimitTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aFullBucketRunsABurstThenRefusesUntilItRefills() {
    CommandRateLimit limit = new CommandRateLimit(3, 0);
    for (int i = 0; i < 3; i++) {
      assertThat(limit.take(10, 3, 0)).isEqualTo(Verdict.RUN);
    }
    assertThat(limit.take(10, 3, 0)).isEqualTo(Verdict.REFUSE);
    assertThat(limit.take(10, 3, SECOND / 20)).isEqualTo(Verdict.REFUSE); // half a token
    assertThat(limit.take(10, 3, SECOND / 10)).isEqualTo(Verdict.RUN);
  }

  @Test
  void refillStopsAtTheBurst() {
    CommandRateLimit limit = new CommandRateLimit(2, 0);
    limit.take(100, 2, 0);
    limit.take(100, 2, 0);
    long later = 60 * SECOND; // would be 6,000 tokens without the cap
    assertThat(limit.take(100, 2, later)).isEqualTo(Verdict.RUN);
    assertThat(limit.take(100, 2, later)).isEqualTo(Verdict.RUN);
    assertThat(limit.take(100, 2, later)).isEqualTo(Verdict.REFUSE);
  }

  @Test
  void moreRefusalsInARowThanTheBurstDisconnectAndARunResetsTheCount() {
    CommandRateLimit limit = new CommandRateLimit(2, 0);
    limit.take(1, 2, 0);
    limit.take(1, 2, 0);
    assertThat(limit.take(1, 2, 0)).isEqualTo(Verdict.REFUSE);
    assertThat(limit.take(1, 2, 0)).isEqualTo(Verdict.REFUSE);
    assertThat(limit.take(1, 2, SECOND)).isEqualTo(Verdict.RUN); // one token refilled: the count starts again
    assertThat(limit.take(1, 2, SECOND)).isEqualTo(Verdict.REFUSE);
    assertThat(limit.take(1, 2, SECOND)).isEqualTo(Verdict.REFUSE);
    assertThat(limit.take(1, 2, SECOND)).isEqualTo(Verdict.DISCONNECT);
  }

  @Test
  void aBucketIsFullOnceItHasRefilledToTheBurst() {
    CommandRateLimit limit = new CommandRateLimit(2, 0);
    assertThat(limit.full(10, 2, 0)).isTrue(); // a new bucket
    limit.take(10, 2, 0);
    assertThat(limit.full(10, 2, 0)).isFalse();
    assertThat(limit.full(10, 2, SECOND / 20)).isFalse(); // half a token back
    assertThat(limit.full(10, 2, SECOND / 10)).isTrue();
  }
}
