package dev.slipway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.analysis.MetricSource;
import dev.slipway.analysis.Sample;
import dev.slipway.analysis.VersionCounters;
import dev.slipway.model.CanaryStep;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WarmWindowTest {
  private static final double[] BOUNDS = {0.1, 0.5, Double.POSITIVE_INFINITY};

  @Test
  void whileWarmingUp_saysWhatTheCanaryHasAndStillNeeds_andThatLatencyComesLater() throws Exception {
    AtomicReference<Sample> now = new AtomicReference<>(sample(0, 0, 0));
    MetricSource source = new MetricSource() {
      @Override
      public String id() {
        return "test";
      }

      @Override
      public Sample sample(String service) {
        return now.get();
      }
    };
    CanaryStep.Analysis limits = new CanaryStep.Analysis(0.01, null, Duration.ofMillis(500), 100,
        Duration.ofMinutes(5), List.of());
    WarmWindow window = new WarmWindow(new MetricsAnalyst(source, null), "api", "api-r1", "api-r2", limits,
        Instant.now(), EngineClock.SYSTEM);
    now.set(sample(25, 0, 400));

    Analyst.Verdict v = window.evaluate();

    assertThat(v.outcome()).isEqualTo("inconclusive");
    assertThat(v.reason()).isEqualTo("canary: 25 of 100 requests needed so far, 0 errors (0%, limit 1%); "
        + "latency is judged from 10 s after the canary first took traffic");
    assertThat(v.reason()).doesNotContain("errors so far");
  }

  @Test
  void progressLine_namesTheWindowItJudged() {
    Analyst.Verdict v = new Analyst.Verdict("inconclusive", "canary: 42 of 200 requests needed so far",
        Map.of("windowSeconds", 4.213));

    assertThat(v.line("analysis step")).isEqualTo("analysis step over 4.2 s: inconclusive — canary: 42 of 200 requests "
        + "needed so far");
    assertThat(new Analyst.Verdict("inconclusive", "metrics unavailable: x", Map.of()).line("background analysis"))
        .isEqualTo("background analysis: inconclusive — metrics unavailable: x");
  }

  private static Sample sample(long canaryRequests, long canaryErrors, long stableRequests) {
    return new Sample(Instant.now(), Map.of(
        "api-r2", new VersionCounters(canaryRequests, canaryErrors, BOUNDS, new long[] {canaryRequests, canaryRequests,
            canaryRequests}),
        "api-r1", new VersionCounters(stableRequests, 0, BOUNDS, new long[] {stableRequests, stableRequests,
            stableRequests})));
  }
}
