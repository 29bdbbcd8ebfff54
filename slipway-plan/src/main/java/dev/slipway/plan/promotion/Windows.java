package dev.slipway.plan.promotion;

import dev.slipway.model.WindowSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;

/**
 * Promotion window arithmetic, in the window's time zone. Days and hours are local: a 09:00 opening
 * is 09:00 on the wall clock whatever the offset that day, so the distance between two openings is
 * not always 24 hours (daylight saving time). An opening that falls in a spring-forward gap opens
 * when the gap ends (the first wall-clock time after it); one in an autumn overlap opens at the
 * first of the two.
 */
public final class Windows {
  private Windows() {}

  /** Whether the window is open at {@code t}: on one of its days, at or after it opens and before it closes. */
  public static boolean isOpen(WindowSpec w, Instant t) {
    ZonedDateTime z = t.atZone(w.zone());
    LocalTime time = z.toLocalTime();
    return w.days().contains(z.getDayOfWeek()) && !time.isBefore(w.opens()) && time.isBefore(w.closes());
  }

  /** The first opening strictly after {@code t}, in the window's zone. */
  public static ZonedDateTime nextOpening(WindowSpec w, Instant t) {
    LocalDate today = t.atZone(w.zone()).toLocalDate();
    // eight days: today's opening may have passed, and the same weekday a week on is the last candidate
    for (int i = 0; i <= 7; i++) {
      LocalDate date = today.plusDays(i);
      if (w.days().contains(date.getDayOfWeek())) {
        ZonedDateTime opening = at(w, date, w.opens());
        if (opening.toInstant().isAfter(t)) {
          return opening;
        }
      }
    }
    throw new IllegalStateException("a window opens at least once a week: " + w);
  }

  /** When the window open at {@code t} closes (the same local day's closing time), in its zone. */
  public static ZonedDateTime closing(WindowSpec w, Instant t) {
    return at(w, t.atZone(w.zone()).toLocalDate(), w.closes());
  }

  /** {@code time} on {@code date} in the window's zone; a time in a gap becomes the gap's end. */
  static ZonedDateTime at(WindowSpec w, LocalDate date, LocalTime time) {
    LocalDateTime local = date.atTime(time);
    ZoneOffsetTransition transition = w.zone().getRules().getTransition(local);
    if (transition != null && transition.isGap()) {
      return transition.getInstant().atZone(w.zone());
    }
    return ZonedDateTime.ofLocal(local, w.zone(), null);
  }
}
