package io.switchboard.sim;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * What the API publisher did: publications sent, acknowledged and failed, the API's answer time, and the top
 * offset of each channel it learnt from the answers (channels where a call failed have an unknown top).
 */
public final class PubStats {
  public final LongAdder sent = new LongAdder();
  public final LongAdder acked = new LongAdder();
  public final LongAdder failed = new LongAdder();
  public final Map<String, Long> tops = new ConcurrentHashMap<>();
  public final Set<String> unknownTops = ConcurrentHashMap.newKeySet();
  private final Histogram callLatency = Histo.create();
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

  /** Counts at the end of the warm-up. */
  public volatile long warmSent;
  public volatile long warmAcked;

  public synchronized void endWarmup() {
    callLatency.reset();
    warmSent = sent.sum();
    warmAcked = acked.sum();
  }

  public synchronized void call(long micros) {
    Histo.record(callLatency, micros);
  }

  public synchronized Histogram callLatency() {
    return callLatency.copy();
  }

  public void top(String channel, long offset) {
    tops.merge(channel, offset, Math::max);
  }

  public void failure(Throwable t) {
    String reason = t instanceof ApiClient.ApiException e ? "api error " + e.code : SimConnection.shortReason(t);
    if (failures.size() < 32 || failures.containsKey(reason)) {
      failures.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }
  }

  public JsonObject failures() {
    JsonObject j = new JsonObject();
    failures.forEach((k, v) -> j.put(k, v.sum()));
    return j;
  }
}
