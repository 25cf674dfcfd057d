package io.switchboard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The shipped logging configuration (conf/logback.xml, packed into the jar) as an operator sees it. */
class LoggingConfigTest {

  private static LoggerContext shipped() throws Exception {
    LoggerContext ctx = new LoggerContext();
    JoranConfigurator jc = new JoranConfigurator();
    jc.setContext(ctx);
    jc.doConfigure(Path.of("../conf/logback.xml").toFile());
    return ctx;
  }

  @Test
  void theRepeatedGaugeRegistrationOfVertxMetricsIsNotAWarningAtStart() throws Exception {
    LoggerContext ctx = shipped();
    Logger micrometer = ctx.getLogger(MeterRegistry.class);
    // Micrometer's double-registration notice is logged through the logger named after MeterRegistry itself.
    assertThat(micrometer.isWarnEnabled()).isFalse();
    assertThat(micrometer.isErrorEnabled()).isTrue();
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.setContext(ctx);
    seen.start();
    ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(seen);
    // The notice Micrometer logs when vertx-micrometer registers a connection gauge again.
    micrometer.warn("This Gauge has been already registered (...), the registration will be ignored.");
    assertThat(seen.list).noneMatch(e -> e.getFormattedMessage().contains("already registered"));
  }

  @Test
  void otherLibrariesStillWarn() throws Exception {
    LoggerContext ctx = shipped();
    assertThat(ctx.getLogger("io.micrometer.prometheusmetrics.PrometheusMeterRegistry").isWarnEnabled()).isTrue();
    assertThat(ctx.getLogger("io.vertx.core.impl.BlockedThreadChecker").isWarnEnabled()).isTrue();
    assertThat(ctx.getLogger("io.switchboard").getEffectiveLevel()).isEqualTo(Level.INFO);
  }

  @Test
  void thePackedCopyIsTheSameFile() throws Exception {
    assertThat(Files.readString(Path.of("src/main/resources/logback.xml")))
        .isEqualTo(Files.readString(Path.of("../conf/logback.xml")));
  }
}
