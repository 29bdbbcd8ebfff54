package dev.slipway.analysis;

/**
 * Where canary analysis reads its numbers: the cumulative request, error and latency counters of
 * each version of a service. One class per variant ({@link RouterMetricSource},
 * {@link PrometheusMetricSource}), each with a stable {@link #id()}.
 */
public interface MetricSource {

  /** The stable id of this source, as used in messages and settings: {@code router}, {@code prometheus}. */
  String id();

  /**
   * The current cumulative counters of every version of {@code service} (summed over its backends).
   * Counters only grow while the router runs; a window's numbers are {@code now.minus(earlier)}.
   *
   * @throws AnalysisException when the source cannot be read or answers something unusable
   */
  Sample sample(String service) throws AnalysisException;
}
