package io.switchboard.sim;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The counters and latency recorders of one process. Event loops write; the reporter reads once a second a
 * {@link #tick} (cumulative counters plus the histograms of the last interval) and at the end a {@link #total}.
 */
public final class Metrics {
  public final LongAdder attempts = new LongAdder();
  public final LongAdder connected = new LongAdder();
  /** Of {@link #connected}, those speaking Protobuf. */
  public final LongAdder protobufOk = new LongAdder();
  public final LongAdder failed = new LongAdder();
  public final AtomicLong open = new AtomicLong();
  public final LongAdder closedUnexpectedly = new LongAdder();
  public final LongAdder reconnects = new LongAdder();
  public final LongAdder recovered = new LongAdder();
  public final LongAdder notRecovered = new LongAdder();
  public final LongAdder sent = new LongAdder();
  public final LongAdder acked = new LongAdder();
  public final LongAdder publishErrors = new LongAdder();
  public final LongAdder delivered = new LongAdder();
  public final LongAdder recoveredPubs = new LongAdder();
  public final LongAdder otherPushes = new LongAdder();
  public final LongAdder errors = new LongAdder();
  /** Epoch micros of the first connection attempt and of the last connection that became ready. */
  public final AtomicLong firstAttemptMicros = new AtomicLong(Long.MAX_VALUE);
  public final AtomicLong lastReadyMicros = new AtomicLong(0);
  public volatile boolean rampDone;
  private final java.util.concurrent.ConcurrentHashMap<String, LongAdder> failures =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final Recorder latency = new Recorder(3);
  private final Recorder ack = new Recorder(3);
  private final Recorder handshake = new Recorder(3);
  private final Recorder recovery = new Recorder(3);
  /** When reconnected clients were back (recovered), in micros since the run's start ({@link SimClock}). */
  private final Recorder backAt = new Recorder(3);
  private final Histogram backAtTotal = Histo.create();
  private final Histogram latencyTotal = Histo.create();
  private final Histogram ackTotal = Histo.create();
  private final Histogram handshakeTotal = Histo.create();
  private final Histogram recoveryTotal = Histo.create();
  private final Object lock = new Object();

  /** Counts at the end of the warm-up (see {@link #endWarmup}); the report subtracts them. */
  private volatile long warmDelivered;
  private volatile long warmSent;
  private volatile long warmAcked;

  /**
   * The warm-up is over: latency and ack histograms start afresh, and the counts so far are remembered so that
   * rates cover the measured phase only. Loss checking is not affected: it covers the whole run.
   */
  public void endWarmup() {
    synchronized (lock) {
      latency.reset();
      ack.reset();
      latencyTotal.reset();
      ackTotal.reset();
      warmDelivered = delivered.sum();
      warmSent = sent.sum();
      warmAcked = acked.sum();
    }
  }

  public void latency(long micros) {
    latency.recordValue(Math.max(0, micros));
  }

  public void ack(long micros) {
    ack.recordValue(Math.max(0, micros));
  }

  public void handshake(long micros) {
    handshake.recordValue(Math.max(0, micros));
  }

  public void recovery(long micros) {
    recovery.recordValue(Math.max(0, micros));
  }

  /** A reconnected client is back at epoch micros {@code nowMicros}. */
  public void backAt(long nowMicros) {
    backAt.recordValue(Math.max(0, SimClock.sinceRunStart(nowMicros)));
  }

  /** Counts one failure by reason (short, without per-connection details), e.g. "handshake: 503". */
  public void failure(String reason) {
    if (failures.size() < 64 || failures.containsKey(reason)) {
      failures.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }
  }

  public JsonObject failures() {
    JsonObject j = new JsonObject();
    failures.forEach((k, v) -> j.put(k, v.sum()));
    return j;
  }

  public void attemptStarted(long nowMicros) {
    attempts.increment();
    firstAttemptMicros.accumulateAndGet(nowMicros, Math::min);
  }

  public void ready(long nowMicros) {
    connected.increment();
    lastReadyMicros.accumulateAndGet(nowMicros, Math::max);
  }

  private JsonObject counters() {
    return new JsonObject()
        .put("ts_us", SimClock.nowMicros())
        .put("attempts", attempts.sum())
        .put("ok", connected.sum())
        .put("ok_protobuf", protobufOk.sum())
        .put("failed", failed.sum())
        .put("open", open.get())
        .put("closed", closedUnexpectedly.sum())
        .put("reconnects", reconnects.sum())
        .put("recovered", recovered.sum())
        .put("not_recovered", notRecovered.sum())
        .put("sent", sent.sum())
        .put("acked", acked.sum())
        .put("publish_errors", publishErrors.sum())
        .put("delivered", delivered.sum())
        .put("recovered_pubs", recoveredPubs.sum())
        .put("other_pushes", otherPushes.sum())
        .put("errors", errors.sum())
        .put("first_attempt_us", firstAttemptMicros.get() == Long.MAX_VALUE ? 0 : firstAttemptMicros.get())
        .put("last_ready_us", lastReadyMicros.get())
        .put("ramp_done", rampDone)
        .put("warm_delivered", warmDelivered)
        .put("warm_sent", warmSent)
        .put("warm_acked", warmAcked);
  }

  /** Cumulative counters and the histograms recorded since the previous tick (which also go into the totals). */
  public JsonObject tick() {
    synchronized (lock) {
      JsonObject j = counters();
      j.put("h_latency", interval(latency, latencyTotal));
      j.put("h_ack", interval(ack, ackTotal));
      j.put("h_handshake", interval(handshake, handshakeTotal));
      j.put("h_recovery", interval(recovery, recoveryTotal));
      j.put("h_back_at", interval(backAt, backAtTotal));
      return j;
    }
  }

  /** Cumulative counters and the histograms of the whole run. */
  public JsonObject total() {
    synchronized (lock) {
      tick();
      JsonObject j = counters();
      j.put("h_latency", Histo.encode(latencyTotal));
      j.put("h_ack", Histo.encode(ackTotal));
      j.put("h_handshake", Histo.encode(handshakeTotal));
      j.put("h_recovery", Histo.encode(recoveryTotal));
      j.put("h_back_at", Histo.encode(backAtTotal));
      j.put("failures", failures());
      return j;
    }
  }

  private static String interval(Recorder r, Histogram total) {
    Histogram h = r.getIntervalHistogram();
    total.add(h);
    return h.getTotalCount() == 0 ? "" : Histo.encode(h);
  }
}
