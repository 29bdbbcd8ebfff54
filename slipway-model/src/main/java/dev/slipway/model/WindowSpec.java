package dev.slipway.model;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code promotion.window}: the days and hours, in one time zone, when promotions into an environment
 * may run. A window lies within one day ({@code opens} before {@code closes}); overnight windows are
 * not supported yet.
 *
 * @param days   the days it opens on (default: every day)
 * @param opens  the local time it opens (inclusive)
 * @param closes the local time it closes (exclusive), after {@code opens}
 * @param zone   the time zone of {@code days}, {@code opens} and {@code closes}
 */
public record WindowSpec(Set<DayOfWeek> days, LocalTime opens, LocalTime closes, ZoneId zone) {
  public WindowSpec {
    days = days == null || days.isEmpty() ? Set.copyOf(EnumSet.allOf(DayOfWeek.class)) : Set.copyOf(days);
    if (opens == null || closes == null || zone == null) {
      throw new IllegalArgumentException("a window needs opens, closes and a zone");
    }
    if (!closes.isAfter(opens)) {
      throw new IllegalArgumentException("a window closes after it opens: " + opens + "-" + closes);
    }
  }
}
