package dev.slipway.model;

import java.time.Duration;

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
   */
  record Analysis(
      Double maxErrorRate,
      Duration maxLatencyP95,
      Duration maxLatencyP99,
      int minRequests,
      Duration timeout)
      implements CanaryStep {
    public static final int DEFAULT_MIN_REQUESTS = 100;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
  }
}
