package dev.slipway.plan.promotion;

import java.time.Duration;

/**
 * Durations in gate texts: compact, two units at most, rounded down so that a soak is never shown as
 * done before it is ({@code 45m}, {@code 1h}, {@code 1h 30m}, {@code 2d}, {@code 2d 3h}, {@code 30s}).
 * Shorter than {@code Durations.human} on purpose: it sits inside one-line gate texts.
 */
public final class DurationText {
  private DurationText() {}

  /** The duration, compact; negative durations read as {@code 0s}. */
  public static String compact(Duration d) {
    long s = d.isNegative() ? 0 : d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    long m = s / 60;
    if (m < 60) {
      return m + "m";
    }
    long h = m / 60;
    if (h < 24) {
      return two(h, "h", m % 60, "m");
    }
    return two(h / 24, "d", h % 24, "h");
  }

  private static String two(long big, String bigUnit, long small, String smallUnit) {
    return big + bigUnit + (small == 0 ? "" : " " + small + smallUnit);
  }
}
