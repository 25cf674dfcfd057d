package io.switchboard.ops;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * The log of one kind of failure that comes in floods: while PostgreSQL is down every publish fails the same
 * way, and a stack trace each would bury everything else. The first failure is logged with its stack trace;
 * the ones after it are counted, and at most one line per window tells how many there were and the last one's
 * message. Once a whole window passes without a failure, the next one is logged in full again.
 *
 * <p>Thread-safe (the event loops share one); the count of a window is logged by a timer on the loop of the
 * failure that opened it, or at the next failure when there is no Vert.x context.
 */
public final class FailureLog {
  private final Logger log;
  private final Level level;
  private final String what;
  private final long windowNanos;

  /** Whether a failure was logged in full and the flood it may start is being counted. */
  private boolean active;
  private long windowEnd;
  private long counted;
  private String last;
  private boolean timerArmed;

  /** {@code what}: the failures, in the plural, as the count line names them ("publish failures"). */
  public FailureLog(Logger log, Level level, String what) {
    this(log, level, what, Duration.ofSeconds(10));
  }

  public FailureLog(Logger log, Level level, String what, Duration window) {
    this.log = log;
    this.level = level;
    this.what = what;
    this.windowNanos = window.toNanos();
  }

  /** Logs a failure ({@code detail}: what failed, for whom), in full or as part of the next count. */
  public void failed(String detail, Throwable t) {
    long now = System.nanoTime();
    String summary;
    boolean full;
    synchronized (this) {
      summary = roll(now);
      full = !active;
      if (full) {
        active = true;
        windowEnd = now + windowNanos;
      } else {
        counted++;
        last = detail + ": " + t;
      }
    }
    if (summary != null) {
      log.atLevel(level).log(summary);
    }
    if (full) {
      log.atLevel(level).setCause(t).log("{} (the next ones are counted, one line per {})", detail, span());
    } else {
      armTimer();
    }
  }

  /**
   * Ends a window that is over: returns its count line (null when it counted none). The flood is over when a
   * window counted none, or when a whole window has passed since this one without a failure (nothing rolled).
   */
  private String roll(long now) {
    if (!active || now - windowEnd < 0) {
      return null;
    }
    String line = counted == 0 ? null
        : counted + " more " + what + " in the last " + span() + "; the last: " + last;
    boolean quietSince = now - windowEnd >= windowNanos;
    counted = 0;
    last = null;
    if (line == null || quietSince) {
      active = false;
    } else {
      windowEnd = now + windowNanos;
    }
    return line;
  }

  private String span() {
    long ms = windowNanos / 1_000_000;
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }

  private void armTimer() {
    Context ctx = Vertx.currentContext();
    long delayMs;
    synchronized (this) {
      if (ctx == null || timerArmed) {
        return;
      }
      timerArmed = true;
      delayMs = Math.max(1, (windowEnd - System.nanoTime()) / 1_000_000 + 1);
    }
    ctx.owner().setTimer(delayMs, id -> {
      String summary;
      synchronized (this) {
        timerArmed = false;
        summary = roll(System.nanoTime());
      }
      if (summary != null) {
        log.atLevel(level).log(summary);
      }
    });
  }
}
