package dev.slipway.plan.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.model.WindowSpec;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class WindowsTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  /** Mon-Thu 09:00-16:00 Berlin time. */
  private static final WindowSpec OFFICE = new WindowSpec(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.THURSDAY),
      LocalTime.of(9, 0), LocalTime.of(16, 0), BERLIN);

  @Test
  void nextOpening_afterThursdaysClose_wrapsTheWeekToMonday() {
    Instant thursdayEvening = Instant.parse("2026-12-10T17:00:00Z"); // Thu 18:00 CET

    assertThat(Windows.isOpen(OFFICE, thursdayEvening)).isFalse();
    assertThat(Windows.nextOpening(OFFICE, thursdayEvening).toInstant()).isEqualTo("2026-12-14T08:00:00Z");
  }

  @Test
  void nextOpening_beforeTodaysOpening_isToday_andInsideTheWindowIsTomorrow() {
    assertThat(Windows.nextOpening(OFFICE, Instant.parse("2026-12-07T06:00:00Z")).toInstant())
        .isEqualTo("2026-12-07T08:00:00Z");
    Instant mondayNoon = Instant.parse("2026-12-07T11:00:00Z");
    assertThat(Windows.isOpen(OFFICE, mondayNoon)).isTrue();
    assertThat(Windows.nextOpening(OFFICE, mondayNoon).toInstant()).isEqualTo("2026-12-08T08:00:00Z");
    assertThat(Windows.closing(OFFICE, mondayNoon).toInstant()).isEqualTo("2026-12-07T15:00:00Z");
  }

  @Test
  void isOpen_opensInclusive_closesExclusive() {
    assertThat(Windows.isOpen(OFFICE, Instant.parse("2026-12-07T08:00:00Z"))).isTrue();
    assertThat(Windows.isOpen(OFFICE, Instant.parse("2026-12-07T07:59:59Z"))).isFalse();
    assertThat(Windows.isOpen(OFFICE, Instant.parse("2026-12-07T15:00:00Z"))).isFalse();
    assertThat(Windows.isOpen(OFFICE, Instant.parse("2026-12-11T11:00:00Z"))).as("Friday").isFalse();
  }

  @Test
  void nextOpening_acrossSpringForward_opensAtNineLocal_anHourEarlierInUtc() {
    // Sunday 29 March 2026 02:00 CET → 03:00 CEST; Friday's 09:00 is 08:00Z, Monday's is 07:00Z
    Instant fridayEvening = Instant.parse("2026-03-27T17:00:00Z");

    assertThat(Windows.nextOpening(OFFICE, fridayEvening).toInstant()).isEqualTo("2026-03-30T07:00:00Z");
    assertThat(Windows.isOpen(OFFICE, Instant.parse("2026-03-30T07:30:00Z"))).isTrue();
    assertThat(Windows.isOpen(OFFICE, Instant.parse("2026-03-30T13:30:00Z"))).as("15:30 CEST").isTrue();
    assertThat(Windows.isOpen(OFFICE, Instant.parse("2026-03-30T14:00:00Z"))).as("16:00 CEST").isFalse();
  }

  @Test
  void nextOpening_acrossFallBack_opensAtNineLocal_anHourLaterInUtc() {
    // Sunday 25 October 2026 03:00 CEST → 02:00 CET; Thursday's 09:00 is 07:00Z, Monday's is 08:00Z
    Instant thursdayEvening = Instant.parse("2026-10-22T15:00:00Z");

    assertThat(Windows.nextOpening(OFFICE, thursdayEvening).toInstant()).isEqualTo("2026-10-26T08:00:00Z");
  }

  @Test
  void nextOpening_whenItFallsInTheSpringGap_opensWhenTheGapEnds() {
    WindowSpec night = new WindowSpec(EnumSet.of(DayOfWeek.SUNDAY), LocalTime.of(2, 30), LocalTime.of(4, 0), BERLIN);

    // 02:30 does not exist on 29 March 2026: the first wall-clock time after it is 03:00 CEST = 01:00Z
    assertThat(Windows.nextOpening(night, Instant.parse("2026-03-28T12:00:00Z")).toInstant())
        .isEqualTo("2026-03-29T01:00:00Z");
    assertThat(Windows.isOpen(night, Instant.parse("2026-03-29T01:00:00Z"))).isTrue();
    assertThat(Windows.isOpen(night, Instant.parse("2026-03-29T00:59:59Z"))).as("01:59:59 CET").isFalse();
  }

  @Test
  void nextOpening_whenItFallsInTheAutumnOverlap_opensAtTheFirstOfTheTwo() {
    WindowSpec night = new WindowSpec(EnumSet.of(DayOfWeek.SUNDAY), LocalTime.of(2, 30), LocalTime.of(4, 0), BERLIN);

    // 02:30 happens twice on 25 October 2026: first at CEST (00:30Z), then at CET (01:30Z)
    assertThat(Windows.nextOpening(night, Instant.parse("2026-10-24T12:00:00Z")).toInstant())
        .isEqualTo("2026-10-25T00:30:00Z");
  }

  @Test
  void nextOpening_ofAOneDayWindowJustAfterItOpened_isAWeekLater() {
    WindowSpec mondays = new WindowSpec(EnumSet.of(DayOfWeek.MONDAY), LocalTime.of(9, 0), LocalTime.of(10, 0),
        ZoneId.of("UTC"));

    assertThat(Windows.nextOpening(mondays, Instant.parse("2026-12-07T09:00:00Z")).toInstant())
        .isEqualTo("2026-12-14T09:00:00Z");
  }
}
