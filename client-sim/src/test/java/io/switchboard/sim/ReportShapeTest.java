package io.switchboard.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ReportShapeTest {
  private static FanoutScenario scenario() {
    FanoutScenario sc = new FanoutScenario();
    new CommandLine(sc).parseArgs("--token-secret", "s", "--api", "http://127.0.0.1:9/api", "-n", "4");
    sc.runId = "r1";
    return sc;
  }

  private static JsonObject workerResult() {
    Metrics m = new Metrics();
    m.attemptStarted(1_000_000);
    m.ready(1_500_000);
    for (int i = 0; i < 4; i++) {
      m.ready(2_000_000);
      m.handshake(3_000);
    }
    m.attempts.add(3);
    m.delivered.add(40);
    for (int i = 1; i <= 40; i++) {
      m.latency(i * 100L);
    }
    LossReport loss = new LossReport();
    SeqTracker t = new SeqTracker(0);
    for (long s = 1; s <= 10; s++) {
      t.accept(s);
    }
    loss.add("fanout-r1", t);
    return m.total().put("loss", loss.toJson());
  }

  @Test
  void resultHoldsTheDocumentedFields() {
    FanoutScenario sc = scenario();
    Runner.Merged merged = Runner.Merged.of(List.of(workerResult()));
    JsonObject r = new Report(sc, sc.common).build(new Report.Inputs(Instant.now(), 1.0, 2.0, merged,
        Map.of("fanout-r1", 12L), null, new JsonArray(), null, new JsonArray(), 1, 0, 0));
    assertThat(r.getJsonObject("connections").fieldNames()).contains("ok", "failed", "handshakes_per_second");
    assertThat(r.getJsonObject("deliveries").fieldNames()).contains("total", "per_second");
    assertThat(r.getJsonObject("latency_ms").fieldNames()).contains("p50", "p90", "p99", "p999", "max");
    assertThat(r.fieldNames()).contains("lost", "duplicated", "out_of_order", "timeline", "latency_percentiles");
    assertThat(r.getJsonObject("connections").getLong("ok")).isEqualTo(5);
    assertThat(r.getJsonObject("deliveries").getLong("total")).isEqualTo(40);
    assertThat(r.getJsonObject("deliveries").getLong("per_second")).isEqualTo(20);
    assertThat(r.getLong("lost")).isEqualTo(2); // top 12, received 1..10
    assertThat(r.getJsonObject("latency_ms").getDouble("max")).isEqualTo(4.0);
    assertThat(Report.summary(r)).contains("lost 2");
    assertThat(HtmlReport.render(r)).contains("<svg").doesNotContain("<script");
  }

  @Test
  void serverSamplesGiveCpuPerDeliveryAndMemoryPerConnection() {
    FanoutScenario sc = scenario();
    Runner.Merged merged = Runner.Merged.of(List.of(workerResult()));
    ProcSampler.Sample before = new ProcSampler.Sample(0, 10.0, 100_000, 1);
    ProcSampler.Sample ramp = new ProcSampler.Sample(1, 11.0, 100_050, 1);
    ProcSampler.Sample go = new ProcSampler.Sample(2, 11.0, 100_050, 1);
    ProcSampler.Sample stop = new ProcSampler.Sample(3, 11.0004, 100_050, 1);
    ProcSampler.Sample end = new ProcSampler.Sample(4, 11.0004, 100_060, 1);
    JsonObject r = new Report(sc, sc.common).build(new Report.Inputs(Instant.now(), 1.0, 2.0, merged, Map.of(),
        null, new JsonArray(), new ProcSampler.Sample[] {before, ramp, go, stop, end}, new JsonArray(), 1, 0, 0));
    JsonObject s = r.getJsonObject("server");
    assertThat(s.getDouble("cpu_us_per_delivery")).isEqualTo(10.0); // 400 us / 40 deliveries
    assertThat(s.getDouble("rss_growth_per_connection_kib")).isEqualTo(10.0); // 50 KiB / 5 connections
  }

  @Test
  void samplerReadsThisProcess() {
    ProcSampler.Sample s = new ProcSampler(List.of(ProcessHandle.current().pid())).sample();
    assertThat(s.alive()).isEqualTo(1);
    assertThat(s.rssKib()).isPositive();
    assertThat(s.cpuSeconds()).isPositive();
  }

  @Test
  void htmlCopesWithAnEmptyRun() {
    JsonObject r = new JsonObject(new Report(scenario(), scenario().common).build(new Report.Inputs(Instant.now(),
        0, 0, Runner.Merged.of(List.of()), Map.of(), null, new JsonArray(), null, new JsonArray(), 1, 0, 0)).encode());
    assertThat(HtmlReport.render(r)).contains("no data");
  }
}
