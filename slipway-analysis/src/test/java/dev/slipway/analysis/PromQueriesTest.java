package dev.slipway.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PromQueriesTest {

  @Test
  void window_isWholeSecondsRoundedUp_atLeastOne() {
    assertThat(PromQueries.window(Duration.ofSeconds(30))).isEqualTo("30s");
    assertThat(PromQueries.window(Duration.ofMillis(30_250))).isEqualTo("31s");
    assertThat(PromQueries.window(Duration.ofMinutes(2))).isEqualTo("120s");
    assertThat(PromQueries.window(Duration.ZERO)).isEqualTo("1s");
  }

  @Test
  void escape_keepsAServiceNameInsideItsPromqlString() {
    assertThat(PrometheusMetricSource.escape("a\"b\\c")).isEqualTo("a\\\"b\\\\c");
  }
}
