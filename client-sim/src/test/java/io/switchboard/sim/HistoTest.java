package io.switchboard.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class HistoTest {
  @Test
  void percentilesOfUniformSamples() {
    Histogram h = Histo.create();
    for (int us = 1; us <= 10_000; us++) { // 1 us .. 10 ms, one each
      Histo.record(h, us);
    }
    JsonObject s = Histo.summary(h);
    assertThat(s.getLong("count")).isEqualTo(10_000);
    assertThat(s.getDouble("p50")).isCloseTo(5.0, within(0.01));
    assertThat(s.getDouble("p90")).isCloseTo(9.0, within(0.01));
    assertThat(s.getDouble("p99")).isCloseTo(9.9, within(0.01));
    assertThat(s.getDouble("p999")).isCloseTo(9.99, within(0.01));
    assertThat(s.getDouble("max")).isCloseTo(10.0, within(0.01));
    assertThat(s.getDouble("mean")).isCloseTo(5.0, within(0.01));
  }

  @Test
  void aSingleOutlierShowsInTheTailOnly() {
    Histogram h = Histo.create();
    for (int i = 0; i < 999; i++) {
      Histo.record(h, 1_000); // 1 ms
    }
    Histo.record(h, 2_000_000); // 2 s
    JsonObject s = Histo.summary(h);
    assertThat(s.getDouble("p50")).isEqualTo(1.0);
    assertThat(s.getDouble("p99")).isEqualTo(1.0);
    assertThat(s.getDouble("p999")).isEqualTo(1.0);
    assertThat(s.getDouble("max")).isCloseTo(2000.0, within(2.0)); // 3 significant digits
  }

  @Test
  void negativeValuesFromAClockStepCountAsZero() {
    Histogram h = Histo.create();
    Histo.record(h, -50);
    assertThat(h.getTotalCount()).isEqualTo(1);
    assertThat(h.getMaxValue()).isZero();
  }

  @Test
  void emptyHistogramSummarisesToZeros() {
    JsonObject s = Histo.summary(Histo.create());
    assertThat(s.getLong("count")).isZero();
    assertThat(s.getDouble("p99")).isZero();
    assertThat(s.getDouble("max")).isZero();
  }

  @Test
  void encodingRoundTripsAndMergesAcrossProcesses() {
    Histogram a = Histo.create();
    Histogram b = Histo.create();
    for (int i = 1; i <= 100; i++) {
      Histo.record(a, i * 10L);
      Histo.record(b, i * 1_000L);
    }
    Histogram merged = Histo.create();
    merged.add(Histo.decode(Histo.encode(a)));
    merged.add(Histo.decode(Histo.encode(b)));
    assertThat(merged.getTotalCount()).isEqualTo(200);
    assertThat(Histo.percentileMs(merged, 50)).isCloseTo(1.0, within(0.01));
    assertThat(Histo.ms(merged.getMaxValue())).isCloseTo(100.0, within(0.1));
    assertThat(Histo.decode("").getTotalCount()).isZero();
  }

  @Test
  void recorderIntervalsAddUpToTheTotal() {
    Metrics m = new Metrics();
    m.latency(1_000);
    JsonObject t1 = m.tick();
    m.latency(3_000);
    m.latency(5_000);
    JsonObject t2 = m.tick();
    assertThat(Histo.decode(t1.getString("h_latency")).getTotalCount()).isEqualTo(1);
    assertThat(Histo.decode(t2.getString("h_latency")).getTotalCount()).isEqualTo(2);
    Histogram total = Histo.decode(m.total().getString("h_latency"));
    assertThat(total.getTotalCount()).isEqualTo(3);
    assertThat(Histo.percentileMs(total, 50)).isCloseTo(3.0, within(0.01));
  }

  @Test
  void warmupIsExcludedFromLatencyButRemembered() {
    Metrics m = new Metrics();
    m.latency(900_000);
    m.delivered.add(5);
    m.endWarmup();
    m.latency(1_000);
    m.delivered.add(2);
    JsonObject t = m.total();
    assertThat(Histo.decode(t.getString("h_latency")).getMaxValue()).isLessThan(2_000);
    assertThat(t.getLong("delivered")).isEqualTo(7);
    assertThat(t.getLong("warm_delivered")).isEqualTo(5);
  }
}
