package dev.slipway.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.model.CanaryStep;
import dev.slipway.model.MetricQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The judge on simulated traffic (seeded, 250 ms between evaluations, as the engine calls it) and
 * on hand-made counters for the exact verdict lines.
 */
class CanaryJudgeTest {
  private static final Duration TICK = Duration.ofMillis(250);
  private static final CanaryStep.Analysis ERRORS = analysis(0.01, null, null, List.of());
  private static final CanaryStep.Analysis ALL = analysis(0.01, Duration.ofMillis(300), Duration.ofMillis(500),
      List.of());
  private static final double[] BOUNDS = {0.1, 0.25, 0.5, Double.POSITIVE_INFINITY};
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  private static CanaryStep.Analysis analysis(Double rate, Duration p95, Duration p99, List<MetricQuery> queries) {
    return new CanaryStep.Analysis(rate, p95, p99, 200, Duration.ofMinutes(5), queries);
  }

  /** 500 req/s split 90/10: stable r1 at 450 req/s, canary r2 at 50 req/s; 5 s of traffic before the baseline. */
  private static SimulatedTraffic traffic(long seed, double canaryErrors, double canaryMedianMs, double stableErrors,
      double stableMedianMs) {
    SimulatedTraffic t = new SimulatedTraffic(seed).version("r1", 450, stableErrors, stableMedianMs, 0.6)
        .version("r2", 50, canaryErrors, canaryMedianMs, 0.6);
    t.advance(Duration.ofSeconds(5));
    return t;
  }

  /** Evaluates every 250 ms until a verdict other than inconclusive, or until {@code limit}. */
  private static Verdict runUntilDecided(SimulatedTraffic t, CanaryJudge judge, Duration limit) {
    Verdict v = null;
    for (Duration d = Duration.ZERO; d.compareTo(limit) < 0 && (v == null || v instanceof Verdict.Inconclusive);
        d = d.plus(TICK)) {
      t.advance(TICK);
      v = judge.evaluate(t.sample());
    }
    return v;
  }

  @Test
  void evaluate_whenCanaryErrsAtFivePercent_failsAboutTwoSecondsAfterItsFirstError() {
    List<Double> secondsAfterFirstError = new ArrayList<>();
    for (long seed = 1; seed <= 100; seed++) {
      SimulatedTraffic t = traffic(seed, 0.05, 80, 0.005, 80);
      CanaryJudge judge = new CanaryJudge(ALL, "r1", "r2", t.sample());
      t.get("r2").firstError = null;

      Verdict v = runUntilDecided(t, judge, Duration.ofSeconds(60));

      assertThat(v).as("seed %d", seed).isInstanceOf(Verdict.Fail.class);
      assertThat(((Verdict.Fail) v).check()).isEqualTo("maxErrorRate");
      secondsAfterFirstError.add(Duration.between(t.get("r2").firstError, t.now()).toMillis() / 1000.0);
    }
    Collections.sort(secondsAfterFirstError);
    assertThat(secondsAfterFirstError.get(49)).as("median").isLessThanOrEqualTo(2.0);
    assertThat(secondsAfterFirstError.get(99)).as("slowest").isLessThanOrEqualTo(8.0);
  }

  @Test
  void evaluate_whenCanaryAsHealthyAsStable_neverFailsIn200SimulationsOfThreeMinutes() {
    int evaluations = 0;
    int passed = 0;
    for (long seed = 1; seed <= 200; seed++) {
      SimulatedTraffic t = traffic(1000 + seed, 0.005, 80, 0.005, 80).sharedJitter(0.25);
      CanaryJudge judge = new CanaryJudge(ALL, "r1", "r2", t.sample());
      boolean passedOnce = false;
      for (int i = 0; i < 4 * 180; i++) { // keeps judging after a pass: every evaluation must hold
        t.advance(TICK);
        Verdict v = judge.evaluate(t.sample());
        evaluations++;
        assertThat(v).as("seed %d at %.2f s: %s", seed, i / 4.0, v.reason()).isNotInstanceOf(Verdict.Fail.class);
        passedOnce |= v instanceof Verdict.Pass;
      }
      passed += passedOnce ? 1 : 0;
    }
    assertThat(evaluations).isEqualTo(144_000);
    assertThat(passed).as("healthy canaries that passed within 3 minutes").isEqualTo(200);
  }

  @Test
  void evaluate_whenCanaryHasTooFewRequests_isInconclusiveAndNeverPasses() {
    SimulatedTraffic t = new SimulatedTraffic(7).version("r1", 100, 0, 20, 0.1).version("r2", 2, 0, 20, 0.1);
    CanaryJudge judge = new CanaryJudge(ALL, "r1", "r2", t.sample());
    Verdict v = null;
    for (int i = 0; i < 4 * 60; i++) {
      t.advance(TICK);
      v = judge.evaluate(t.sample());
      assertThat(v).isInstanceOf(Verdict.Inconclusive.class);
    }
    assertThat(v.reason()).matches("canary: 120 of 200 requests needed so far, 0 errors \\(0%, limit 1%\\), "
        + "p95 \\d+ ms \\(limit 300 ms\\), p99 \\d+ ms \\(limit 500 ms\\)");
  }

  @Test
  void evaluate_withoutAnyData_isInconclusive() {
    Sample empty = new Sample(T0, Map.of());
    CanaryJudge judge = new CanaryJudge(ALL, "r1", "r2", empty);

    Verdict v = judge.evaluate(new Sample(T0.plusSeconds(30), Map.of("r1", counters(5000, 0, 5000, 5000, 5000, 5000))));

    assertThat(v).isInstanceOf(Verdict.Inconclusive.class);
    assertThat(v.reason()).isEqualTo("canary: no requests yet, 200 needed");
    assertThat(v.measurements().canary()).isEqualTo(new Measurements.Version("r2", 0, 0, null, null, null));
  }

  @Test
  void evaluate_whenCanaryP99AboveLimit_failsOnLatency() {
    CanaryStep.Analysis p99 = analysis(null, null, Duration.ofMillis(500), List.of());
    for (long seed = 1; seed <= 20; seed++) {
      SimulatedTraffic t = traffic(seed, 0.005, 250, 0.005, 80); // canary p99 ≈ 1 s, stable ≈ 320 ms
      CanaryJudge judge = new CanaryJudge(p99, "r1", "r2", t.sample());

      Verdict v = runUntilDecided(t, judge, Duration.ofSeconds(10));

      assertThat(v).as("seed %d", seed).isInstanceOf(Verdict.Fail.class);
      assertThat(((Verdict.Fail) v).check()).isEqualTo("maxLatencyP99");
      assertThat(v.reason()).matches("canary p99 \\d+ ms exceeded the 500 ms limit \\([\\d.]+ of \\d+ requests slower\\); "
          + "stable p99 \\d+ ms \\([\\d.]+ of \\d+ slower\\)");
    }
  }

  @Test
  void evaluate_whenStableErrsAsMuch_isInconclusiveAndSaysItIsNotTheCanary() {
    for (long seed = 1; seed <= 20; seed++) {
      SimulatedTraffic t = traffic(seed, 0.05, 80, 0.05, 80);
      CanaryJudge judge = new CanaryJudge(ERRORS, "r1", "r2", t.sample());
      Verdict v = null;
      for (int i = 0; i < 4 * 60; i++) {
        t.advance(TICK);
        v = judge.evaluate(t.sample());
        assertThat(v).as("seed %d: %s", seed, v.reason()).isInstanceOf(Verdict.Inconclusive.class);
      }
      assertThat(v.reason()).matches("canary error rate [\\d.]+% \\(\\d+ of \\d+ requests\\) exceeds the 1% limit, "
          + "but stable is as bad at [\\d.]+% \\(\\d+ of \\d+\\): not the canary's fault");
    }
  }

  @Test
  void evaluate_whenStableAsSlow_isInconclusiveAndSaysItIsNotTheCanary() {
    SimulatedTraffic t = traffic(3, 0, 400, 0, 400);
    CanaryJudge judge = new CanaryJudge(analysis(null, Duration.ofMillis(300), null, List.of()), "r1", "r2",
        t.sample());
    t.advance(Duration.ofSeconds(30));

    assertThat(judge.evaluate(t.sample()).reason()).matches("canary p95 \\d+ ms exceeds the 300 ms limit, but stable is "
        + "as slow \\(p95 \\d+ ms, [\\d.]+ of \\d+ slower\\): not the canary's fault");
  }

  private static VersionCounters counters(long requests, long errors, long... cumulative) {
    return new VersionCounters(requests, errors, BOUNDS, cumulative);
  }

  private static Sample at(int second, VersionCounters stable, VersionCounters canary) {
    Map<String, VersionCounters> m = new HashMap<>();
    m.put("r1", stable);
    m.put("r2", canary);
    return new Sample(T0.plusSeconds(second), m);
  }

  private static final Sample START = at(0, counters(0, 0, 0, 0, 0, 0), counters(0, 0, 0, 0, 0, 0));

  @Test
  void evaluate_whenErrorRateBreached_saysSoInOneLine() {
    Verdict v = new CanaryJudge(ALL, "r1", "r2", START).evaluate(at(20, counters(950, 1, 950, 950, 950, 950),
        counters(1000, 52, 1000, 1000, 1000, 1000)));

    assertThat(v).isEqualTo(new Verdict.Fail("maxErrorRate", "canary error rate 5.2% (52 of 1000 requests) exceeded "
        + "the 1% limit; stable 0.11% (1 of 950)",
        new Measurements(20, new Measurements.Version("r2", 1000, 52, 0.052, 95.0, 99.0),
            new Measurements.Version("r1", 950, 1, 1 / 950.0, 95.0, 99.0), Map.of())));
  }

  @Test
  void evaluate_whenStableHasTooLittleTraffic_judgesAgainstTheLimitAlone() {
    Verdict v = new CanaryJudge(ERRORS, "r1", "r2", START).evaluate(at(20, counters(10, 0, 10, 10, 10, 10),
        counters(1000, 52, 1000, 1000, 1000, 1000)));

    assertThat(v.reason()).isEqualTo("canary error rate 5.2% (52 of 1000 requests) exceeded the 1% limit; "
        + "stable had 10 requests, too few to compare");
  }

  @Test
  void evaluate_whenEveryLimitHolds_passesAndListsThem() {
    Verdict v = new CanaryJudge(analysis(0.01, null, Duration.ofMillis(500), List.of()), "r1", "r2", START)
        .evaluate(at(60, counters(9000, 40, 8000, 8900, 9000, 9000), counters(1000, 2, 900, 990, 1000, 1000)));

    assertThat(v).isInstanceOf(Verdict.Pass.class);
    assertThat(v.reason()).isEqualTo("all limits hold over 1000 canary requests: canary error rate 0.2% "
        + "(2 of 1000 requests), within the 1% limit; canary p99 250 ms, within the 500 ms limit");
    assertThat(v.measurements().canary().p95Ms()).isEqualTo(183.333);
  }

  @Test
  void evaluate_whenLimitIsZero_passesWithoutErrorsAndFailsOnTheFirstClearOne() {
    CanaryJudge judge = new CanaryJudge(analysis(0.0, null, null, List.of()), "r1", "r2", START);

    assertThat(judge.evaluate(at(60, counters(9000, 0, 9000, 9000, 9000, 9000), counters(200, 0, 200, 200, 200, 200))))
        .isInstanceOf(Verdict.Pass.class);
    assertThat(judge.evaluate(at(60, counters(9000, 0, 9000, 9000, 9000, 9000), counters(200, 1, 200, 200, 200, 200)))
        .reason()).isEqualTo("canary error rate 0.5% (1 of 200 requests) exceeds the 0% limit, not yet clearly worse "
            + "than stable at 0% (0 of 9000)");
    assertThat(judge.evaluate(at(60, counters(9000, 0, 9000, 9000, 9000, 9000), counters(200, 3, 200, 200, 200, 200)))
        .reason()).isEqualTo("canary error rate 1.5% (3 of 200 requests) exceeded the 0% limit; stable 0% (0 of 9000)");
  }

  @Test
  void evaluate_whenLimitNotYetShown_waitsAndSaysWhy() {
    Verdict v = new CanaryJudge(ERRORS, "r1", "r2", START).evaluate(at(60, counters(9000, 40, 9000, 9000, 9000, 9000),
        counters(500, 4, 500, 500, 500, 500)));

    assertThat(v).isInstanceOf(Verdict.Inconclusive.class);
    assertThat(v.reason()).isEqualTo("canary error rate 0.8% (4 of 500 requests), not yet shown to be within the 1% limit");
  }

  @Test
  void evaluate_whenRouterRestartedDuringTheWindow_countsFromTheRestart() {
    Sample baseline = at(0, counters(50_000, 10, 50_000, 50_000, 50_000, 50_000),
        counters(5000, 0, 5000, 5000, 5000, 5000));
    Sample afterRestart = at(30, counters(2700, 1, 2700, 2700, 2700, 2700), counters(300, 30, 300, 300, 300, 300));

    Verdict v = new CanaryJudge(ERRORS, "r1", "r2", baseline).evaluate(afterRestart);

    assertThat(v.reason()).isEqualTo("canary error rate 10% (30 of 300 requests) exceeded the 1% limit; "
        + "stable 0.04% (1 of 2700)");
  }

  private static final MetricQuery DB_ERRORS = new MetricQuery("db-errors", "sum(rate(db_errors_total[{{window}}]))",
      0.5, null);

  @Test
  void evaluate_whenQueryHasNoData_isInconclusiveNotPass() {
    CanaryJudge judge = new CanaryJudge(analysis(0.01, null, null, List.of(DB_ERRORS)), "r1", "r2", START);
    Sample healthy = at(60, counters(9000, 0, 9000, 9000, 9000, 9000), counters(1000, 0, 1000, 1000, 1000, 1000));

    assertThat(judge.evaluate(healthy).reason()).isEqualTo("query db-errors returned no data");
    Map<String, Double> nan = new HashMap<>();
    nan.put("db-errors", Double.NaN);
    assertThat(judge.evaluate(healthy, nan)).isInstanceOf(Verdict.Inconclusive.class);
    assertThat(judge.evaluate(healthy, nan).measurements().queries()).containsEntry("db-errors", null);
    assertThat(judge.evaluate(healthy, Map.of("db-errors", 0.1)).reason()).isEqualTo("all limits hold over 1000 "
        + "canary requests: canary error rate 0% (0 of 1000 requests), within the 1% limit; "
        + "query db-errors 0.1, within its max 0.5");
  }

  @Test
  void evaluate_whenQueryOutOfBounds_failsOnceTheCanaryHasTraffic() {
    MetricQuery hitRatio = new MetricQuery("cache-hit", "avg(cache_hit_ratio)", null, 0.9);
    CanaryJudge judge = new CanaryJudge(analysis(null, null, null, List.of(DB_ERRORS, hitRatio)), "r1", "r2", START);
    Map<String, Double> values = Map.of("db-errors", 0.1, "cache-hit", 0.72);

    Verdict early = judge.evaluate(at(1, counters(90, 0, 90, 90, 90, 90), counters(10, 0, 10, 10, 10, 10)), values);
    Verdict later = judge.evaluate(at(5, counters(900, 0, 900, 900, 900, 900), counters(100, 0, 100, 100, 100, 100)),
        values);

    assertThat(early.reason()).isEqualTo("query cache-hit 0.72 is below its min 0.9; failing on it needs 50 canary "
        + "requests, 10 so far");
    assertThat(later).isInstanceOf(Verdict.Fail.class);
    assertThat(((Verdict.Fail) later).check()).isEqualTo("queries.cache-hit");
    assertThat(later.reason()).isEqualTo("query cache-hit 0.72 is below its min 0.9");
  }

  @Test
  void measurements_serializeAsPlainJson() throws Exception {
    Verdict v = new CanaryJudge(analysis(0.01, null, null, List.of(DB_ERRORS)), "r1", "r2", START)
        .evaluate(at(20, counters(950, 1, 950, 950, 950, 950), counters(0, 0, 0, 0, 0, 0)));

    assertThat(new ObjectMapper().writeValueAsString(v.measurements())).isEqualTo("{\"windowSeconds\":20.0,"
        + "\"canary\":{\"version\":\"r2\",\"requests\":0,\"errors\":0,\"errorRate\":null,\"p95Ms\":null,\"p99Ms\":null},"
        + "\"stable\":{\"version\":\"r1\",\"requests\":950,\"errors\":1,\"errorRate\":0.0010526315789473684,"
        + "\"p95Ms\":95.0,\"p99Ms\":99.0},\"queries\":{\"db-errors\":null}}");
  }
}
