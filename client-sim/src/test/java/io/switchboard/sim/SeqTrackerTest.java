package io.switchboard.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeqTrackerTest {
  private static SeqTracker feed(long start, long... seqs) {
    SeqTracker t = new SeqTracker(start);
    for (long s : seqs) {
      t.accept(s);
    }
    return t;
  }

  @Test
  void inOrderStreamIsComplete() {
    SeqTracker t = feed(10, 11, 12, 13, 14, 15);
    assertThat(t.unique()).isEqualTo(5);
    assertThat(t.lost(15)).isZero();
    assertThat(t.duplicates()).isZero();
    assertThat(t.outOfOrder()).isZero();
    assertThat(t.contiguous()).isEqualTo(15);
  }

  @Test
  void aGapIsLost() {
    SeqTracker t = feed(0, 1, 2, 4, 5);
    assertThat(t.lost(5)).isEqualTo(1);
    assertThat(t.outOfOrder()).isZero();
    assertThat(t.contiguous()).isEqualTo(2);
  }

  @Test
  void theTailNotReceivedIsLost() {
    SeqTracker t = feed(0, 1, 2, 3);
    assertThat(t.lost(6)).isEqualTo(3);
  }

  @Test
  void duplicatesAreCountedOnceEach() {
    SeqTracker t = feed(0, 1, 2, 2, 3, 1, 3);
    assertThat(t.duplicates()).isEqualTo(3);
    assertThat(t.unique()).isEqualTo(3);
    assertThat(t.lost(3)).isZero();
    assertThat(t.received()).isEqualTo(6);
  }

  @Test
  void aDuplicateBeyondAGapIsStillADuplicate() {
    SeqTracker t = feed(0, 1, 3, 3);
    assertThat(t.duplicates()).isEqualTo(1);
    assertThat(t.lost(3)).isEqualTo(1);
  }

  @Test
  void lateArrivalsAreOutOfOrderButNotLost() {
    SeqTracker t = feed(0, 1, 3, 4, 2, 5);
    assertThat(t.outOfOrder()).isEqualTo(1);
    assertThat(t.lost(5)).isZero();
    assertThat(t.contiguous()).isEqualTo(5);
  }

  @Test
  void aReversedStreamIsOutOfOrderForAllButTheFirst() {
    SeqTracker t = feed(0, 5, 4, 3, 2, 1);
    assertThat(t.outOfOrder()).isEqualTo(4);
    assertThat(t.lost(5)).isZero();
    assertThat(t.duplicates()).isZero();
  }

  @Test
  void numbersAtOrBelowTheStartAreDuplicates() {
    SeqTracker t = feed(7, 7, 6, 8);
    assertThat(t.duplicates()).isEqualTo(2);
    assertThat(t.unique()).isEqualTo(1);
  }

  @Test
  void restartKeepsWhatWasMissedAsLost() {
    // received 1..3, then the server could not recover and repositioned us at 10
    SeqTracker t = feed(0, 1, 2, 3);
    t.restartAt(10);
    t.accept(11);
    t.accept(12);
    assertThat(t.missed()).isEqualTo(7); // 4..10
    assertThat(t.lost(12)).isEqualTo(7);
    assertThat(t.outOfOrder()).isZero();
  }

  @Test
  void restartCountsWhatArrivedAheadOfTheGap() {
    SeqTracker t = feed(0, 1, 5, 12);
    t.restartAt(10);
    assertThat(t.missed()).isEqualTo(8); // 2,3,4,6,7,8,9,10
    assertThat(t.unique()).isEqualTo(1); // 12 is kept, beyond the new start
    t.accept(11);
    assertThat(t.lost(12)).isEqualTo(8);
    assertThat(t.contiguous()).isEqualTo(12);
  }

  @Test
  void restartBehindThePositionChangesNothing() {
    SeqTracker t = feed(0, 1, 2, 3);
    t.restartAt(2);
    assertThat(t.missed()).isZero();
    assertThat(t.lost(3)).isZero();
  }
}
