package io.switchboard.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Merges the workers' ticks once a second into one progress line and one timeline point: connections, sent/s,
 * delivered/s, errors, latency of the last second and p99 so far, server CPU and RSS.
 */
final class Progress {
  private static final String[] COUNTERS = {"attempts", "ok", "failed", "open", "closed", "reconnects", "recovered",
      "not_recovered", "sent", "acked", "publish_errors", "delivered", "recovered_pubs", "other_pushes", "errors"};

  private final Map<Worker, JsonObject> latest = new HashMap<>();
  /** Per worker: the rate of its last two ticks, by their own timestamps (children tick out of step). */
  private final Map<Worker, double[]> rates = new HashMap<>();
  private final Histogram soFar = Histo.create();
  private final JsonArray timeline = new JsonArray();
  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private long prevSent;
  private long prevNanos = startNanos;
  private ProcSampler.Sample prevSample;

  Progress(PrintStream out) {
    this.out = out;
  }

  JsonArray timeline() {
    return timeline;
  }

  /** Sums the latest cumulative counters of every worker. */
  JsonObject totals() {
    JsonObject sum = new JsonObject();
    for (String c : COUNTERS) {
      long v = 0;
      for (JsonObject t : latest.values()) {
        v += t.getLong(c, 0L);
      }
      sum.put(c, v);
    }
    return sum;
  }

  void poll(List<Worker> workers, String phase, PubStats api, ProcSampler sampler) {
    Histogram interval = Histo.create();
    for (Worker w : workers) {
      for (JsonObject t : w.ticks()) {
        JsonObject prev = latest.put(w, t);
        if (prev != null) {
          double secs = Math.max(1e-3, (t.getLong("ts_us", 0L) - prev.getLong("ts_us", 0L)) / 1e6);
          rates.put(w, new double[] {(t.getLong("sent", 0L) - prev.getLong("sent", 0L)) / secs,
              (t.getLong("delivered", 0L) - prev.getLong("delivered", 0L)) / secs});
        }
        String h = t.getString("h_latency", "");
        if (!h.isEmpty()) {
          interval.add(Histo.decode(h));
        }
      }
    }
    soFar.add(interval);
    JsonObject sum = totals();
    long now = System.nanoTime();
    double secs = Math.max(1e-3, (now - prevNanos) / 1e9);
    long apiSent = api == null ? 0 : api.sent.sum();
    double clientSentPs = 0;
    double delivRate = 0;
    for (double[] r : rates.values()) {
      clientSentPs += r[0];
      delivRate += r[1];
    }
    long sentPs = Math.round((apiSent - prevSent) / secs + clientSentPs);
    long delivPs = Math.round(delivRate);
    long errors = sum.getLong("errors") + sum.getLong("publish_errors") + (api == null ? 0 : api.failed.sum());
    prevSent = apiSent;
    prevNanos = now;
    long t = Math.round((now - startNanos) / 1e9);
    JsonObject point = new JsonObject().put("t", t).put("phase", phase)
        .put("ok", sum.getLong("ok")).put("failed", sum.getLong("failed")).put("open", sum.getLong("open"))
        .put("sent_per_s", sentPs).put("delivered_per_s", delivPs).put("errors", errors)
        .put("p50", Histo.percentileMs(interval, 50)).put("p99", Histo.percentileMs(interval, 99))
        .put("max", interval.getTotalCount() == 0 ? 0 : Histo.ms(interval.getMaxValue()));
    String server = "";
    if (sampler.enabled()) {
      ProcSampler.Sample s = sampler.sample();
      if (prevSample != null) {
        double cpuPct = 100 * (s.cpuSeconds() - prevSample.cpuSeconds()) / ((s.nanoTime() - prevSample.nanoTime()) / 1e9);
        point.put("server_cpu_pct", Math.round(cpuPct));
        server = String.format(" | server cpu %3d%% rss %d MiB", Math.round(cpuPct), s.rssKib() / 1024);
      }
      point.put("server_rss_mib", s.rssKib() / 1024);
      prevSample = s;
    }
    timeline.add(point);
    if (out != null) {
      out.printf("[%4ds %-5s] conns %d ok / %d failed (open %d) | sent/s %d | delivered/s %d | errors %d | p99 %s ms"
              + " (so far %s)%s%n",
          t, phase, sum.getLong("ok"), sum.getLong("failed"), sum.getLong("open"), sentPs, delivPs, errors,
          fmt(Histo.percentileMs(interval, 99)), fmt(Histo.percentileMs(soFar, 99)), server);
      out.flush();
    }
  }

  static String fmt(double ms) {
    return ms >= 100 ? String.format("%.0f", ms) : String.format("%.2f", ms);
  }
}
