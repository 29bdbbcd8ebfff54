package dev.slipway.model;

import java.time.Duration;
import java.util.List;

/** One step of a canary release. */
public sealed interface CanaryStep {

  /** Send {@code weight} percent of traffic to the canary. */
  record SetWeight(int weight) implements CanaryStep {}

  /** Wait; a {@code null} duration ({@code pause: {}}) waits until {@code slipway promote}. */
  record Pause(Duration duration) implements CanaryStep {
    public boolean untilPromoted() {
      return duration == null;
    }
  }

  /**
   * Compare canary with stable over the same window; any limit breached fails the release.
   *
   * @param maxErrorRate  highest share of 5xx responses, 0..1 ({@code 1%} in the file), or null
   * @param maxLatencyP95 highest p95 latency, or null
   * @param maxLatencyP99 highest p99 latency, or null
   * @param minRequests   fewest canary requests for a verdict; fewer is inconclusive (default 100)
   * @param timeout       how long to wait for a conclusive verdict before pausing (default 5m)
   * @param queries       custom PromQL checks, run against the model's {@code prometheus} resource;
   *                      names unique, possibly empty
   */
  record Analysis(
      Double maxErrorRate,
      Duration maxLatencyP95,
      Duration maxLatencyP99,
      int minRequests,
      Duration timeout,
      List<MetricQuery> queries)
      implements CanaryStep {
    public static final int DEFAULT_MIN_REQUESTS = 100;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    public Analysis {
      queries = Maps.frozen(queries);
    }

    /** Limits without custom queries. */
    public Analysis(Double maxErrorRate, Duration maxLatencyP95, Duration maxLatencyP99, int minRequests,
        Duration timeout) {
      this(maxErrorRate, maxLatencyP95, maxLatencyP99, minRequests, timeout, List.of());
    }
  }
}
