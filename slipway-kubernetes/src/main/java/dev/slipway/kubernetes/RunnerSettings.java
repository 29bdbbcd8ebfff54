package dev.slipway.kubernetes;

import dev.slipway.analysis.MetricSource;
import java.time.Duration;
import java.util.function.Function;

/**
 * What a runner's tests change: time for strategy waits, the chaos points, where canary analysis reads
 * metrics, and how often it looks.
 *
 * @param clock         strategy pauses and windows ({@link RunnerClock#scaled} in tests)
 * @param chaos         where to halt, for crash tests
 * @param metrics       the metric source for a service's analysis, or null for the environment's
 *                      Prometheus ({@code ClusterMetricSource}); given a service name
 * @param analysisEvery how often an analysis step asks its metric source again
 * @param promoteWait   how long {@code --wait} waits at a pause for {@code promote} before giving up
 */
record RunnerSettings(RunnerClock clock, RunnerChaos chaos, Function<String, MetricSource> metrics,
    Duration analysisEvery, Duration promoteWait) {

  static RunnerSettings defaults() {
    return new RunnerSettings(RunnerClock.SYSTEM, RunnerChaos.fromEnvironment(), null, Duration.ofSeconds(1),
        Duration.ofHours(24));
  }

  RunnerSettings withClock(RunnerClock c) {
    return new RunnerSettings(c, chaos, metrics, analysisEvery, promoteWait);
  }

  RunnerSettings withChaos(RunnerChaos c) {
    return new RunnerSettings(clock, c, metrics, analysisEvery, promoteWait);
  }

  RunnerSettings withMetrics(Function<String, MetricSource> m, Duration every) {
    return new RunnerSettings(clock, chaos, m, every, promoteWait);
  }
}
