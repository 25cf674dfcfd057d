package io.switchboard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** A flood of failures: the first in full, then one count line per window; a new flood starts in full again. */
class FailureLogTest {

  @Test
  void theFirstInFullThenCountsThenInFullAgainAfterAQuietWindow() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger("test.failure-log");
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    logger.addAppender(seen);
    FailureLog log = new FailureLog(logger, Level.WARN, "publish failures", Duration.ofSeconds(1));
    for (int i = 0; i < 100; i++) {
      log.failed("publish " + i + " failed", new IllegalStateException("database down " + i));
    }
    assertThat(seen.list).hasSize(1);
    assertThat(seen.list.get(0).getThrowableProxy()).isNotNull();
    Thread.sleep(1200);
    log.failed("publish 100 failed", new IllegalStateException("database down 100"));
    // The window's count (no timer without a Vert.x context: told at the next failure), and no stack trace.
    assertThat(seen.list).hasSize(2);
    assertThat(seen.list.get(1).getFormattedMessage())
        .startsWith("99 more publish failures in the last").contains("database down 99");
    assertThat(seen.list.get(1).getThrowableProxy()).isNull();
    Thread.sleep(1200);
    log.failed("publish 101 failed", new IllegalStateException("database down 101"));
    assertThat(seen.list).hasSize(3).last().matches(e -> e.getFormattedMessage().startsWith("1 more"));
    // Two windows without a failure: the count of the last one, then the next failure in full.
    Thread.sleep(2300);
    log.failed("publish 102 failed", new IllegalStateException("database down again"));
    assertThat(seen.list).hasSize(5);
    assertThat(seen.list.get(3).getFormattedMessage()).startsWith("1 more").contains("database down 101");
    assertThat(seen.list.get(4).getThrowableProxy()).isNotNull();
    logger.detachAppender(seen);
  }
}
