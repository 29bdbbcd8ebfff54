package dev.slipway.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleTest {
  private static final double[] BOUNDS = {0.1, 0.25, 0.5, Double.POSITIVE_INFINITY};
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  private static VersionCounters counters(long requests, long errors, long... cumulative) {
    return new VersionCounters(requests, errors, cumulative.length == 0 ? new double[0] : BOUNDS, cumulative);
  }

  private static Sample backends(int second, Map<String, Map<String, VersionCounters>> backends) {
    return Sample.ofBackends(T0.plusSeconds(second), backends);
  }

  @Test
  void minus_whenCountersGrew_givesTheWindowIncrease() {
    Sample before = new Sample(T0, Map.of("r1", counters(100, 2, 80, 95, 99, 100)));
    Sample after = new Sample(T0.plusSeconds(10), Map.of("r1", counters(250, 5, 200, 240, 249, 250)));

    Sample window = after.minus(before);

    assertThat(window.version("r1")).isEqualTo(counters(150, 3, 120, 145, 150, 150));
    assertThat(window.at()).isEqualTo(after.at());
    assertThat(after.since(before).toSeconds()).isEqualTo(10);
  }

  @Test
  void minus_whenCounterWentDown_treatsTheNewValueAsTheIncreaseSinceTheReset() {
    Sample before = new Sample(T0, Map.of("r1", counters(5000, 20, 4000, 4900, 4990, 5000)));
    Sample after = new Sample(T0.plusSeconds(1), Map.of("r1", counters(30, 3, 20, 28, 30, 30)));

    assertThat(after.minus(before).version("r1")).isEqualTo(counters(30, 3, 20, 28, 30, 30));
  }

  @Test
  void minus_whenOnlyOneBackendRestarted_keepsTheOthersIncrease() {
    Sample before = backends(0, Map.of("r2", Map.of("a", counters(1000, 10), "b", counters(900, 0))));
    Sample after = backends(5, Map.of("r2", Map.of("a", counters(1100, 11), "b", counters(40, 4))));

    assertThat(after.minus(before).version("r2")).isEqualTo(counters(140, 5));
  }

  @Test
  void minus_whenBackendAppearedOrDisappeared_countsNewOnesInFullAndGoneOnesAsNothing() {
    Sample before = backends(0, Map.of("r2", Map.of("a", counters(1000, 10), "gone", counters(500, 5))));
    Sample after = backends(5, Map.of("r2", Map.of("a", counters(1010, 10), "new", counters(7, 1))));

    assertThat(after.minus(before).version("r2")).isEqualTo(counters(17, 1));
  }

  @Test
  void minus_whenVersionIsNew_countsItInFull_andUnknownVersionsAreEmpty() {
    Sample before = new Sample(T0, Map.of("r1", counters(10, 0)));
    Sample after = new Sample(T0.plusSeconds(1), Map.of("r1", counters(15, 0), "r2", counters(3, 1)));

    Sample window = after.minus(before);

    assertThat(window.version("r2")).isEqualTo(counters(3, 1));
    assertThat(window.version("r9")).isEqualTo(VersionCounters.EMPTY);
  }

  @Test
  void minus_whenHistogramAppearsAfterTheBaseline_takesItsBucketsInFull() {
    Sample before = new Sample(T0, Map.of("r2", counters(0, 0)));
    Sample after = new Sample(T0.plusSeconds(1), Map.of("r2", counters(4, 0, 1, 2, 3, 4)));

    assertThat(after.minus(before).version("r2")).isEqualTo(counters(4, 0, 1, 2, 3, 4));
  }

  @Test
  void ofBackends_sumsBackendsPerVersion_onTheBoundsTheyShare() {
    VersionCounters a = new VersionCounters(10, 1, new double[] {0.1, 0.5, Double.POSITIVE_INFINITY},
        new long[] {5, 9, 10});
    VersionCounters b = new VersionCounters(20, 2, new double[] {0.1, 0.25, 0.5, Double.POSITIVE_INFINITY},
        new long[] {10, 15, 19, 20});

    VersionCounters sum = backends(0, Map.of("r1", Map.of("a", a, "b", b))).version("r1");

    assertThat(sum).isEqualTo(new VersionCounters(30, 3, new double[] {0.1, 0.5, Double.POSITIVE_INFINITY},
        new long[] {15, 28, 30}));
  }

  @Test
  void quantile_interpolatesInsideTheBucket_likeHistogramQuantile() {
    VersionCounters c = counters(1000, 0, 900, 990, 1000, 1000);

    assertThat(c.quantile(0.5)).isCloseTo(0.1 * 500 / 900, within(1e-12));
    assertThat(c.quantile(0.95)).isCloseTo(0.1 + 0.15 * 50 / 90, within(1e-12));
    assertThat(c.quantile(0.99)).isCloseTo(0.25, within(1e-12));
    assertThat(c.quantile(0.995)).isCloseTo(0.375, within(1e-12));
    assertThat(counters(10, 0, 0, 0, 5, 10).quantile(0.99)).as("in the +Inf bucket: the highest finite bound")
        .isEqualTo(0.5);
    assertThat(VersionCounters.EMPTY.quantile(0.99)).isNaN();
  }

  @Test
  void countSlowerThan_isTheInverseOfTheQuantile() {
    VersionCounters c = counters(1000, 0, 900, 990, 1000, 1000);

    assertThat(c.countSlowerThan(0.25)).isCloseTo(10, within(1e-9));
    assertThat(c.countSlowerThan(c.quantile(0.95))).isCloseTo(50, within(1e-9));
    assertThat(c.countSlowerThan(0.05)).isCloseTo(550, within(1e-9));
    assertThat(c.countSlowerThan(0.5)).isZero();
    assertThat(counters(10, 0, 0, 0, 5, 10).countSlowerThan(30)).as("the +Inf bucket counts as slower").isEqualTo(5);
  }

  @Test
  void versionCounters_areValues_notArrayIdentities() {
    VersionCounters a = counters(1, 0, 1, 1, 1, 1);
    long[] buckets = a.cumulativeBuckets();
    buckets[0] = 99;

    assertThat(a).isEqualTo(counters(1, 0, 1, 1, 1, 1)).hasSameHashCodeAs(counters(1, 0, 1, 1, 1, 1));
    assertThat(a.cumulativeBuckets()[0]).isEqualTo(1);
  }
}
