package io.switchboard.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Builds the result JSON of a run, writes it (and the HTML report), and prints the summary. */
final class Report {
  static final double[] PERCENTILES = {0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100};

  private final Scenario sc;
  private final CommonOptions o;

  Report(Scenario sc, CommonOptions o) {
    this.sc = sc;
    this.o = o;
  }

  /** Samples: before the ramp, after it, at go, at the end of the run phase, after the drain. */
  record Inputs(Instant startedAt, double rampSeconds, double runSeconds, Runner.Merged merged,
                Map<String, Long> tops, PubStats api, JsonArray timeline, ProcSampler.Sample[] samples,
                JsonArray events, int workers, double clientCpuSeconds, double clientRampCpuSeconds) {}

  JsonObject build(Inputs in) {
    Runner.Merged m = in.merged;
    JsonObject c = m.counters;
    long ok = c.getLong("ok", 0L);
    JsonObject r = new JsonObject();
    r.put("scenario", sc.name()).put("run_id", sc.runId).put("started_at", in.startedAt.toString());
    JsonObject params = new JsonObject().put("connections", o.connections).put("duration_s", o.duration.toMillis() / 1e3)
        .put("warmup_s", o.warmup.toMillis() / 1e3)
        .put("urls", new JsonArray(o.urlList().stream().map(Object::toString).toList()))
        .put("apis", new JsonArray(o.apis)).put("procs", o.procs).put("source_ips", new JsonArray(o.sourceIps))
        .put("event_loops", o.eventLoops).put("concurrency", o.concurrency).put("connect_rate", o.connectRate)
        .put("raw", o.raw).put("protocol", o.raw ? "none" : o.protocol.label());
    params.mergeIn(sc.params());
    r.put("params", params);
    r.put("machine", new JsonObject().put("cores", Runtime.getRuntime().availableProcessors())
        .put("java", System.getProperty("java.version")));

    double handshakeSecs = m.lastReadyMicros > 0 && m.firstAttemptMicros < Long.MAX_VALUE
        ? Math.max(1e-3, (m.lastReadyMicros - m.firstAttemptMicros) / 1e6) : 0;
    r.put("connections", new JsonObject().put("target", o.connections).put("ok", ok)
        .put("ok_protobuf", c.getLong("ok_protobuf", 0L))
        .put("failed", c.getLong("failed", 0L) + (o.connections - c.getLong("attempts", 0L)))
        .put("not_attempted", Math.max(0, o.connections - c.getLong("attempts", 0L)))
        .put("handshakes_per_second", handshakeSecs == 0 ? 0 : Math.round(ok / handshakeSecs))
        .put("ramp_seconds", round(handshakeSecs))
        .put("closed_unexpectedly", c.getLong("closed", 0L))
        .put("failures", m.failures)
        .put("workers_missing", m.missingWorkers));
    r.put("handshake_ms", Histo.summary(m.handshake));

    long apiSent = in.api == null ? 0 : in.api.sent.sum();
    long apiAcked = in.api == null ? 0 : in.api.acked.sum();
    long apiWarmAcked = in.api == null ? 0 : in.api.warmAcked;
    long apiFailed = in.api == null ? 0 : in.api.failed.sum();
    long clientSent = c.getLong("sent", 0L);
    long clientAcked = c.getLong("acked", 0L);
    long measuredAcked = apiAcked - apiWarmAcked + clientAcked - c.getLong("warm_acked", 0L);
    JsonObject pubs = new JsonObject()
        .put("sent", apiSent + clientSent)
        .put("acked", apiAcked + clientAcked)
        .put("failed", apiFailed + c.getLong("publish_errors", 0L))
        .put("acked_measured", measuredAcked)
        .put("acked_per_second", in.runSeconds <= 0 ? 0 : Math.round(measuredAcked / in.runSeconds))
        .put("by_api", apiSent).put("by_clients", clientSent);
    if (in.api != null) {
      pubs.put("api_call_ms", Histo.summary(in.api.callLatency())).put("api_failures", in.api.failures());
    }
    r.put("publications", pubs);
    r.put("ack_ms", Histo.summary(m.ack));

    long delivered = c.getLong("delivered", 0L) - c.getLong("warm_delivered", 0L);
    r.put("deliveries", new JsonObject().put("total", delivered)
        .put("during_warmup", c.getLong("warm_delivered", 0L))
        .put("per_second", in.runSeconds <= 0 ? 0 : Math.round(delivered / in.runSeconds))
        .put("recovered", c.getLong("recovered_pubs", 0L))
        .put("other_pushes", c.getLong("other_pushes", 0L)));
    r.put("latency_ms", Histo.summary(m.latency));
    r.put("latency_percentiles", percentiles(m.latency));

    LossReport.Totals t = m.loss.totals(in.tops);
    r.put("lost", t.lost()).put("duplicated", t.duplicated()).put("out_of_order", t.outOfOrder());
    long subs = m.loss.channels().values().stream().mapToLong(ChannelLoss::subscriptions).sum();
    r.put("loss_check", new JsonObject().put("channels", t.channels()).put("subscriptions", subs)
        .put("channels_without_known_top", t.channelsWithoutKnownTop()));

    if (sc.reconnects()) {
      r.put("recovery", new JsonObject().put("reconnect_attempts", c.getLong("reconnects", 0L))
          .put("recovered", c.getLong("recovered", 0L)).put("not_recovered", c.getLong("not_recovered", 0L))
          .put("closed", c.getLong("closed", 0L))
          .put("ms", Histo.summary(m.recovery))
          .put("all_recovered_within_ms", m.recovery.getTotalCount() == 0 ? 0 : Histo.ms(m.recovery.getMaxValue())));
    }
    JsonObject extra = sc.extraReport(m);
    if (extra != null) {
      r.put(sc.name(), extra);
    }
    r.put("client", new JsonObject().put("processes", in.workers)
        .put("cpu_seconds_run", round(in.clientCpuSeconds))
        .put("cpu_seconds_ramp", round(in.clientRampCpuSeconds))
        .put("cpu_us_per_connection_ramp", ok == 0 ? null : round(in.clientRampCpuSeconds * 1e6 / ok))
        .put("cpu_us_per_delivery", delivered == 0 ? null : round(in.clientCpuSeconds * 1e6 / delivered)));
    r.put("errors", c.getLong("errors", 0L) + c.getLong("publish_errors", 0L) + apiFailed);
    r.put("events", in.events);
    if (in.samples != null) {
      r.put("server", server(in.samples, ok, delivered, o));
    }
    r.put("timeline", in.timeline);
    return r;
  }

  private static JsonObject server(ProcSampler.Sample[] s, long ok, long delivered, CommonOptions o) {
    ProcSampler.Sample before = s[0];
    ProcSampler.Sample afterRamp = s[1];
    ProcSampler.Sample atGo = s[2];
    ProcSampler.Sample atStop = s[3];
    ProcSampler.Sample end = s[4];
    double runCpu = end.cpuSeconds() - atGo.cpuSeconds();
    JsonObject j = new JsonObject()
        .put("pids", new JsonArray(o.serverPids))
        .put("alive_at_end", end.alive())
        .put("cpu_seconds_total", round(end.cpuSeconds() - before.cpuSeconds()))
        .put("cpu_seconds_ramp", round(afterRamp.cpuSeconds() - before.cpuSeconds()))
        .put("cpu_us_per_connection_ramp", ok == 0 ? null
            : round((afterRamp.cpuSeconds() - before.cpuSeconds()) * 1e6 / ok))
        .put("cpu_seconds_run", round(runCpu))
        .put("cpu_us_per_delivery", delivered == 0 ? null : round(runCpu * 1e6 / delivered))
        .put("rss_kib_before", before.rssKib())
        .put("rss_kib_after_ramp", afterRamp.rssKib())
        .put("rss_kib_end_of_run", atStop.rssKib())
        .put("rss_kib_end", end.rssKib())
        .put("rss_growth_per_connection_kib", ok == 0 ? null
            : round((atStop.rssKib() - before.rssKib()) / (double) ok));
    return j;
  }

  static JsonArray percentiles(Histogram h) {
    JsonArray a = new JsonArray();
    for (double p : PERCENTILES) {
      a.add(new JsonObject().put("percentile", p).put("ms", h.getTotalCount() == 0 ? 0
          : p == 100 ? Histo.ms(h.getMaxValue()) : Histo.percentileMs(h, p)));
    }
    return a;
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  static void write(JsonObject result, CommonOptions o) {
    try {
      if (o.json != null) {
        mkdirs(o.json);
        Files.writeString(o.json, result.encodePrettily() + "\n", StandardCharsets.UTF_8);
      }
      Path html = o.html != null ? o.html : o.json == null ? null
          : o.json.resolveSibling(o.json.getFileName().toString().replaceAll("\\.json$", "") + ".html");
      if (html != null) {
        mkdirs(html);
        Files.writeString(html, HtmlReport.render(result), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report: " + e.getMessage(), e);
    }
  }

  private static void mkdirs(Path p) throws IOException {
    Path parent = p.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
  }

  /** A few human lines. */
  static String summary(JsonObject r) {
    JsonObject c = r.getJsonObject("connections");
    JsonObject d = r.getJsonObject("deliveries");
    JsonObject l = r.getJsonObject("latency_ms");
    JsonObject h = r.getJsonObject("handshake_ms");
    JsonObject p = r.getJsonObject("publications");
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("== %s (run %s, protocol %s)%n", r.getString("scenario"), r.getString("run_id"),
        r.getJsonObject("params").getString("protocol", "json")));
    sb.append(String.format("connections  ok %d (%d Protobuf), failed %d, %d handshakes/s, handshake p50 %s p99 %s "
            + "max %s ms%n", c.getLong("ok"), c.getLong("ok_protobuf", 0L), c.getLong("failed"),
        c.getLong("handshakes_per_second"), h.getDouble("p50"), h.getDouble("p99"), h.getDouble("max")));
    sb.append(String.format("publications sent %d, acked %d, failed %d (%d/s acked); ack p99 %s ms%n",
        p.getLong("sent"), p.getLong("acked"), p.getLong("failed"), p.getLong("acked_per_second"),
        r.getJsonObject("ack_ms").getDouble("p99")));
    sb.append(String.format("deliveries   %d (%d/s)%n", d.getLong("total"), d.getLong("per_second")));
    sb.append(String.format("latency ms   p50 %s p90 %s p99 %s p99.9 %s max %s%n", l.getDouble("p50"),
        l.getDouble("p90"), l.getDouble("p99"), l.getDouble("p999"), l.getDouble("max")));
    sb.append(String.format("checks       lost %d, duplicated %d, out of order %d (%d channels)%n",
        r.getLong("lost"), r.getLong("duplicated"), r.getLong("out_of_order"),
        r.getJsonObject("loss_check").getLong("channels")));
    JsonObject rec = r.getJsonObject("recovery");
    if (rec != null) {
      sb.append(String.format("recovery     recovered %d, not recovered %d, all within %s ms (p99 %s)%n",
          rec.getLong("recovered"), rec.getLong("not_recovered"), rec.getDouble("all_recovered_within_ms"),
          rec.getJsonObject("ms").getDouble("p99")));
    }
    JsonObject storm = r.getJsonObject("storm");
    if (storm != null) {
      sb.append("storm        ").append(storm.encode()).append('\n');
    }
    JsonObject s = r.getJsonObject("server");
    if (s != null) {
      sb.append(String.format("server       cpu %s s in the run phase (%s us/delivery), rss %d -> %d KiB (%s KiB per "
              + "connection)%n", s.getValue("cpu_seconds_run"), s.getValue("cpu_us_per_delivery"),
          s.getLong("rss_kib_before"), s.getLong("rss_kib_end_of_run"), s.getValue("rss_growth_per_connection_kib")));
    }
    if (!c.getJsonObject("failures").isEmpty()) {
      sb.append("failures     ").append(c.getJsonObject("failures").encode()).append('\n');
    }
    return sb.toString().stripTrailing();
  }
}
