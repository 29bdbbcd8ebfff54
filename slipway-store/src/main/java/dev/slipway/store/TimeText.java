package dev.slipway.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Times in messages: the local time of day, with the date when it is not today. */
final class TimeText {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
  private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private TimeText() {}

  static String local(Instant time) {
    return local(time, ZoneId.systemDefault());
  }

  static String local(Instant time, ZoneId zone) {
    var local = time.atZone(zone);
    boolean today = local.toLocalDate().equals(LocalDate.now(zone));
    return (today ? TIME : DATE_TIME).format(local);
  }
}
