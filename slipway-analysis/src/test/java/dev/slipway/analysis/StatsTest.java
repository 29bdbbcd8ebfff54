package dev.slipway.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void wilson_matchesPublishedValues() {
    // 95% two-sided (z = 1.96) for 0/10: [0, 0.2775]; for 5/100: [0.0215, 0.1118] (Newcombe 1998)
    assertThat(Stats.wilsonUpper(0, 10, 1.96)).isCloseTo(0.2775, within(1e-4));
    assertThat(Stats.wilsonLower(0, 10, 1.96)).isZero();
    assertThat(Stats.wilsonLower(5, 100, 1.96)).isCloseTo(0.0215, within(1e-4));
    assertThat(Stats.wilsonUpper(5, 100, 1.96)).isCloseTo(0.1118, within(1e-4));
  }

  @Test
  void wilson_withoutTrials_knowsNothing() {
    assertThat(Stats.wilsonLower(0, 0, 3.09)).isZero();
    assertThat(Stats.wilsonUpper(0, 0, 1.645)).isEqualTo(1);
  }

  @Test
  void binomialTail_equalsTheDirectSum() {
    for (int n : new int[] {1, 7, 40, 300}) {
      for (double p : new double[] {0.001, 0.09, 0.5, 0.93}) {
        for (int k = 0; k <= n; k += Math.max(1, n / 9)) {
          assertThat(Stats.binomialTailAtLeast(k, n, p)).as("n=%d p=%f k=%d", n, p, k)
              .isCloseTo(directTail(k, n, p), within(1e-10));
        }
      }
    }
    assertThat(Stats.binomialTailAtLeast(0, 5, 0.3)).isEqualTo(1);
    assertThat(Stats.binomialTailAtLeast(6, 5, 0.3)).isZero();
  }

  @Test
  void worseThan_isSmallOnlyWhenTheFirstRateIsClearlyHigher() {
    assertThat(Stats.worseThan(52, 1000, 1, 950)).isLessThan(1e-10);
    assertThat(Stats.worseThan(50, 1000, 47, 950)).isGreaterThan(0.3);
    assertThat(Stats.worseThan(1, 1000, 50, 950)).isGreaterThan(0.999);
    assertThat(Stats.worseThan(5, 100, 0, 0)).as("nothing to compare with").isEqualTo(1);
  }

  @Test
  void logGamma_matchesFactorials() {
    assertThat(Stats.logGamma(1)).isCloseTo(0, within(1e-12));
    assertThat(Stats.logGamma(11)).isCloseTo(Math.log(3_628_800), within(1e-10));
    assertThat(Stats.logGamma(0.5)).isCloseTo(Math.log(Math.sqrt(Math.PI)), within(1e-12));
  }

  private static double directTail(int k, int n, double p) {
    double sum = 0;
    for (int i = k; i <= n; i++) {
      sum += Math.exp(Stats.logGamma(n + 1) - Stats.logGamma(i + 1) - Stats.logGamma(n - i + 1)
          + i * Math.log(p) + (n - i) * Math.log1p(-p));
    }
    return Math.min(1, sum);
  }
}
