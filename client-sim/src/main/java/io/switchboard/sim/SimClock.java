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

  public static long nowMicros() {
    return BASE_MICROS + (System.nanoTime() - BASE_NANOS) / 1_000;
  }
}
