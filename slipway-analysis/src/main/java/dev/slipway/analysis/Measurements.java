package dev.slipway.analysis;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a verdict was based on: the analysis window's numbers for both versions, plain numbers and
 * strings only, so that it serializes to simple JSON for the store and {@code slipway history}.
 *
 * @param windowSeconds how long the window was when measured
 * @param canary        the canary's numbers
 * @param stable        the stable version's numbers over the same window
 * @param queries       custom query values by name; {@code null} for a query without data
 */
public record Measurements(double windowSeconds, Version canary, Version stable, Map<String, Double> queries) {

  public Measurements {
    queries = Collections.unmodifiableMap(new LinkedHashMap<>(queries));
  }

  /**
   * One version's numbers over the window.
   *
   * @param version   the version name
   * @param requests  requests answered
   * @param errors    5xx answers and proxy failures
   * @param errorRate errors / requests, {@code null} without requests
   * @param p95Ms     95th percentile latency in milliseconds from the histogram, {@code null} without data
   * @param p99Ms     99th percentile latency in milliseconds, {@code null} without data
   */
  public record Version(String version, long requests, long errors, Double errorRate, Double p95Ms, Double p99Ms) {

    static Version of(String version, VersionCounters c) {
      return new Version(version, c.requests(), c.errors(), c.requests() == 0 ? null : c.errorRate(),
          ms(c.quantile(0.95)), ms(c.quantile(0.99)));
    }

    private static Double ms(double seconds) {
      return Double.isNaN(seconds) ? null : Math.round(seconds * 1_000_000) / 1000.0;
    }
  }
}
