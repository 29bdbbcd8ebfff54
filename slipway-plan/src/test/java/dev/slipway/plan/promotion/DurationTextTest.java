package dev.slipway.plan.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {
  @Test
  void compact_keepsTwoUnitsAtMost_andRoundsDown() {
    assertThat(DurationText.compact(Duration.ofSeconds(30))).isEqualTo("30s");
    assertThat(DurationText.compact(Duration.ZERO)).isEqualTo("0s");
    assertThat(DurationText.compact(Duration.ofSeconds(45 * 60 + 59))).isEqualTo("45m");
    assertThat(DurationText.compact(Duration.ofHours(1))).isEqualTo("1h");
    assertThat(DurationText.compact(Duration.ofMinutes(90))).isEqualTo("1h 30m");
    assertThat(DurationText.compact(Duration.ofDays(2))).isEqualTo("2d");
    assertThat(DurationText.compact(Duration.ofHours(51).plusMinutes(10))).isEqualTo("2d 3h");
    assertThat(DurationText.compact(Duration.ofMinutes(-5))).isEqualTo("0s");
  }
}
