package io.switchboard.sim;

import java.util.TreeSet;

/**
 * What one subscription received of one channel's stream, by sequence number (the publication offset in durable
 * channels, the publisher's embedded sequence number in ephemeral ones). Every number after {@code start} is
 * expected exactly once and in increasing order.
 *
 * <ul>
 *   <li><b>duplicate:</b> a number already received (or at or below {@code start});</li>
 *   <li><b>out of order:</b> a number arriving after a higher one;</li>
 *   <li><b>lost</b> (known only once the stream's final top is known): {@code top - start - unique}.</li>
 * </ul>
 * Memory stays constant while deliveries arrive in order; only numbers beyond a gap are held.
 */
public final class SeqTracker {
  private long start;
  private long contiguous;
  private long maxSeen;
  private final TreeSet<Long> ahead = new TreeSet<>();
  private long duplicates;
  private long outOfOrder;
  private long received;
  private long missed;

  public SeqTracker(long start) {
    this.start = start;
    this.contiguous = start;
    this.maxSeen = start;
  }

  public void accept(long seq) {
    received++;
    if (seq <= contiguous || ahead.contains(seq)) {
      duplicates++;
      return;
    }
    if (seq < maxSeen) {
      outOfOrder++;
    }
    if (seq == contiguous + 1) {
      contiguous = seq;
      while (!ahead.isEmpty() && ahead.first() == contiguous + 1) {
        contiguous = ahead.pollFirst();
      }
    } else {
      ahead.add(seq);
    }
    maxSeen = Math.max(maxSeen, seq);
  }

  /**
   * The stream was repositioned without recovery (a new position the server could not recover up to): what
   * follows is checked from {@code newStart}, and whatever was missing up to it stays counted as lost.
   */
  public void restartAt(long newStart) {
    if (newStart <= contiguous) {
      return;
    }
    long receivedBelow = contiguous - start + ahead.headSet(newStart, true).size();
    missed += Math.max(0, newStart - start - receivedBelow);
    ahead.headSet(newStart, true).clear();
    start = newStart;
    contiguous = newStart;
    while (!ahead.isEmpty() && ahead.first() == contiguous + 1) {
      contiguous = ahead.pollFirst();
    }
    maxSeen = Math.max(maxSeen, newStart);
  }

  /** Distinct numbers received after {@code start}. */
  public long unique() {
    return contiguous - start + ahead.size();
  }

  /** Numbers known missing from ranges skipped by {@link #restartAt}. */
  public long missed() {
    return missed;
  }

  /** Distinct numbers expected up to {@code top} and never received. */
  public long lost(long top) {
    return missed + Math.max(0, top - start - unique());
  }

  public long start() {
    return start;
  }

  /** The highest number received in order with nothing missing below it. */
  public long contiguous() {
    return contiguous;
  }

  public long maxSeen() {
    return maxSeen;
  }

  public long duplicates() {
    return duplicates;
  }

  public long outOfOrder() {
    return outOfOrder;
  }

  public long received() {
    return received;
  }
}
