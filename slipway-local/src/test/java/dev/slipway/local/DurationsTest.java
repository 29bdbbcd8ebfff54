package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void human_picksTheUnitPeopleWouldWrite() {
    assertThat(Durations.human(Duration.ofMillis(500))).isEqualTo("500 ms");
    assertThat(Durations.human(Duration.ofSeconds(30))).isEqualTo("30 s");
    assertThat(Durations.human(Duration.ofMillis(1500))).isEqualTo("1.5 s");
    assertThat(Durations.human(Duration.ofSeconds(125))).isEqualTo("2 min 5 s");
    assertThat(Durations.human(Duration.ofMinutes(2))).isEqualTo("2 min");
  }
}
