package dev.slipway.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestTest {
  private static final List<String> KEYS = ModelKeys.SERVICE;

  @Test
  void closest_whenOneLetterMissing_findsTheKey() {
    assertThat(Suggest.closest("helth", KEYS)).isEqualTo("health");
  }

  @Test
  void closest_whenLettersSwapped_findsTheKey() {
    assertThat(Suggest.closest("replcias", KEYS)).isEqualTo("replicas");
  }

  @Test
  void closest_whenCaseDiffers_findsTheKey() {
    assertThat(Suggest.closest("dependson", KEYS)).isEqualTo("dependsOn");
  }

  @Test
  void closest_whenNothingIsClose_returnsNull() {
    assertThat(Suggest.closest("volumes", KEYS)).isNull();
    assertThat(Suggest.closest("x", List.of())).isNull();
  }

  @Test
  void closest_whenWordIsShort_allowsOnlyOneEdit() {
    assertThat(Suggest.closest("rn", List.of("run"))).isEqualTo("run");
    assertThat(Suggest.closest("ab", List.of("run"))).isNull();
  }

  @Test
  void distance_countsAnAdjacentSwapAsOneEdit() {
    assertThat(Suggest.distance("ab", "ba")).isEqualTo(1);
    assertThat(Suggest.distance("kitten", "sitting")).isEqualTo(3);
  }
}
