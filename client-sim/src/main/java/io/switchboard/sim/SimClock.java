package io.switchboard.sim;

import java.time.Instant;

/**
 * Wall-clock time in microseconds since the epoch, read from the monotonic clock after one calibration. Every
 * process of a run (publisher and children) stamps payloads with it, so publish-to-delivery latency can be
 * measured across processes on one machine.
 */
public final class SimClock {
  private static final long BASE_MICROS;
  private static final long BASE_NANOS;

  static {
    Instant now = Instant.now();
    BASE_NANOS = System.nanoTime();
    BASE_MICROS = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  private SimClock() {}

  /**
   * The start of the run in epoch micros, the same in every process of the run: the run id is the parent's
   * start time in milliseconds modulo 10^9 (base 36), so each process finds the latest such instant.
   */
  private static volatile long runBaseMicros;

  static void setRun(String runId) {
    long nowMs = nowMicros() / 1_000;
    long id = Long.parseLong(runId, 36);
    long back = Math.floorMod(nowMs % 1_000_000_000L - id, 1_000_000_000L);
    runBaseMicros = (nowMs - back) * 1_000;
  }

  /** Microseconds since the start of the run (see {@link #setRun}); comparable across the run's processes. */
  public static long sinceRunStart(long epochMicros) {
    return epochMicros - runBaseMicros;
  }

  public static long runBaseMicros() {
    return runBaseMicros;
  }

  public static long nowMicros() {
    return BASE_MICROS + (System.nanoTime() - BASE_NANOS) / 1_000;
  }
}
