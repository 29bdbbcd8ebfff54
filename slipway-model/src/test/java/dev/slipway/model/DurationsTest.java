package dev.slipway.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
      "500ms, PT0.5S",
      "30s, PT30S",
      "5m, PT5M",
      "1h, PT1H",
      "1m30s, PT1M30S",
      "1h1m1s1ms, PT1H1M1.001S",
      "1.5s, PT1.5S",
      "0.25m, PT15S",
      "0s, PT0S",
      "' 30s ', PT30S"})
  void parse_whenWrittenWithUnits_returnsTheDuration(String text, Duration expected) throws ValueException {
    assertThat(Durations.parse(text)).isEqualTo(expected);
  }

  @Test
  void parse_whenBareNumber_asksForAUnitUsingTheSameNumber() {
    assertThatThrownBy(() -> Durations.parse("30")).isInstanceOf(ValueException.class)
        .hasMessage("duration `30` has no unit")
        .extracting(e -> ((ValueException) e).hint()).isEqualTo("add a unit, e.g. `30s`");
  }

  @ParameterizedTest
  @CsvSource({"1d", "30 s", "30sec", "-5s", "s", "1.s", "PT30S", "''"})
  void parse_whenNotADuration_listsTheForms(String text) {
    assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(ValueException.class)
        .hasMessageStartingWith("expected a duration, found `")
        .extracting(e -> ((ValueException) e).hint()).isEqualTo("write it like `500ms`, `30s`, `5m`, `1h` or `1m30s`");
  }

  @Test
  void parse_whenLongerThanAYear_refuses() {
    assertThatThrownBy(() -> Durations.parse("9000h")).hasMessage("duration `9000h` is too long");
    assertThatThrownBy(() -> Durations.parse("9".repeat(50) + "h")).hasMessageContaining("is too long");
  }

  @ParameterizedTest
  @CsvSource({"0, 0 ms", "850, 850 ms", "999, 999 ms", "1000, 1 s", "1500, 1.5 s", "4240, 4.2 s", "30000, 30 s",
      "59949, 59.9 s", "59950, 1 min", "60000, 1 min", "125000, 2 min 5 s", "125999, 2 min 5 s", "3599000, 59 min 59 s",
      "3600000, 1 h", "3900000, 1 h 5 min", "90061000, 25 h 1 min", "-1500, -1.5 s"})
  void human_isTheOneSpellingPeopleSee(long millis, String expected) {
    assertThat(Durations.human(Duration.ofMillis(millis))).isEqualTo(expected);
  }
}
