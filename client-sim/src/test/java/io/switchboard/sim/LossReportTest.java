package io.switchboard.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LossReportTest {
  private static SeqTracker tracker(long start, long... seqs) {
    SeqTracker t = new SeqTracker(start);
    for (long s : seqs) {
      t.accept(s);
    }
    return t;
  }

  @Test
  void sumsOverSubscriptionsAndChannels() {
    LossReport r = new LossReport();
    r.add("a", tracker(0, 1, 2, 3, 4));       // complete
    r.add("a", tracker(0, 1, 3, 4));          // lost 2
    r.add("a", tracker(2, 3, 4, 4));          // subscribed later, one duplicate
    r.add("b", tracker(100, 102, 101));       // out of order
    LossReport.Totals t = r.totals(Map.of("a", 4L, "b", 102L));
    assertThat(t.lost()).isEqualTo(1);
    assertThat(t.duplicated()).isEqualTo(1);
    assertThat(t.outOfOrder()).isEqualTo(1);
    assertThat(t.channels()).isEqualTo(2);
    assertThat(t.channelsWithoutKnownTop()).isZero();
  }

  @Test
  void theKnownTopRevealsATailNobodyReceived() {
    LossReport r = new LossReport();
    r.add("a", tracker(0, 1, 2));
    r.add("a", tracker(0, 1, 2));
    assertThat(r.totals(Map.of("a", 3L)).lost()).isEqualTo(2);
    // without a known top the highest number seen stands in for it
    LossReport.Totals unknown = r.totals(Map.of());
    assertThat(unknown.lost()).isZero();
    assertThat(unknown.channelsWithoutKnownTop()).isEqualTo(1);
  }

  @Test
  void mergingProcessesThroughJsonGivesTheSameTotals() {
    LossReport p1 = new LossReport();
    p1.add("a", tracker(0, 1, 2, 3));
    p1.add("b", tracker(5, 6, 6));
    LossReport p2 = new LossReport();
    p2.add("a", tracker(0, 1, 3));
    p2.add("c", tracker(0, 2, 1));
    LossReport merged = new LossReport();
    merged.merge(LossReport.fromJson(p1.toJson()));
    merged.merge(LossReport.fromJson(p2.toJson()));
    LossReport.Totals t = merged.totals(Map.of("a", 3L, "b", 6L, "c", 2L));
    assertThat(t.lost()).isEqualTo(1);
    assertThat(t.duplicated()).isEqualTo(1);
    assertThat(t.outOfOrder()).isEqualTo(1);
    assertThat(merged.channels().get("a").subscriptions()).isEqualTo(2);
  }

  @Test
  void missedRangesSurviveMerging() {
    SeqTracker t = tracker(0, 1);
    t.restartAt(5);
    t.accept(6);
    LossReport r = new LossReport();
    r.add("a", t);
    assertThat(LossReport.fromJson(r.toJson()).totals(Map.of("a", 6L)).lost()).isEqualTo(4);
  }
}
