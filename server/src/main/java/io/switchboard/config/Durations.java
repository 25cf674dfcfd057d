package io.switchboard.config;

import java.time.Duration;

/**
 * Durations as written in the configuration: one or more {@code <digits><unit>} parts with the units
 * {@code ms}, {@code s}, {@code m}, {@code h}, {@code d}, e.g. {@code 25s}, {@code 500ms}, {@code 10m},
 * {@code 1h30m}, {@code 7d}; a bare {@code 0} is zero. Negative durations do not exist here.
 */
public final class Durations {
  private Durations() {}

  /** Parses {@code text}, throwing {@link IllegalArgumentException} with a readable message. */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty duration");
    }
    String s = text.strip();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Duration total = Duration.ZERO;
    int i = 0;
    while (i < s.length()) {
      int digitsStart = i;
      while (i < s.length() && Character.isDigit(s.charAt(i))) {
        i++;
      }
      if (i == digitsStart) {
        throw bad(text);
      }
      int unitStart = i;
      while (i < s.length() && Character.isLetter(s.charAt(i))) {
        i++;
      }
      String unit = s.substring(unitStart, i);
      long n;
      try {
        n = Long.parseLong(s.substring(digitsStart, unitStart));
      } catch (NumberFormatException e) {
        throw bad(text);
      }
      try {
        total = total.plus(switch (unit) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          default -> throw bad(text);
        });
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("duration too large: '" + text + "'");
      }
    }
    return total;
  }

  private static IllegalArgumentException bad(String text) {
    return new IllegalArgumentException(
        "bad duration '" + text + "': expected e.g. 500ms, 25s, 10m, 1h, 7d (or 1h30m, or 0)");
  }
}
