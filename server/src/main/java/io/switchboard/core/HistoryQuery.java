package io.switchboard.core;

import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;

/**
 * A page of a channel's stream to read: at most {@code limit} publications (0: only the position) after
 * {@code after}, or before it when {@code reverse}; {@code sinceEpoch}, when given, must be the stream's epoch.
 */
public record HistoryQuery(int limit, long after, boolean reverse, String sinceEpoch) {

  /**
   * Checks a request's values: {@code limit} -1 means the most a page may hold ({@code cap}), and so does
   * anything above it; {@code hasSince} tells whether the request named a position.
   */
  public static HistoryQuery of(long limit, boolean reverse, boolean hasSince, long sinceOffset, String sinceEpoch,
      int cap) {
    if (limit < -1) {
      throw new CoreException(Failure.BAD_REQUEST, "limit must be -1 or more");
    }
    int n = limit == -1 || limit > cap ? cap : (int) limit;
    if (!hasSince) {
      return new HistoryQuery(n, 0, reverse, null);
    }
    if (sinceOffset < 0) {
      throw new CoreException(Failure.BAD_REQUEST, "since.offset must not be negative");
    }
    if (reverse && sinceOffset == 0) {
      throw new CoreException(Failure.BAD_REQUEST, "reverse with since.offset 0");
    }
    return new HistoryQuery(n, sinceOffset, reverse, sinceEpoch);
  }
}
