package dev.slipway.analysis;

import dev.slipway.model.MetricQuery;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates the custom {@code queries} of an analysis step against Prometheus: placeholders
 * expanded, one instant query each, one number each. The values go to
 * {@link CanaryJudge#evaluate(Sample, Map)}.
 */
public final class PromQueries {
  private final PrometheusApi api;
  private final Clock clock;

  /** @param base Prometheus' address, e.g. {@code http://127.0.0.1:9090} */
  public PromQueries(URI base) {
    this(base, Duration.ofSeconds(1), Clock.systemUTC());
  }

  public PromQueries(URI base, Duration timeout, Clock clock) {
    this.api = new PrometheusApi(base, timeout);
    this.clock = clock;
  }

  /**
   * The value of each query by name, in order; {@code null} for a query that returned no data.
   *
   * @param window the analysis window so far; {@code {{window}}} becomes it in whole seconds, e.g. {@code 30s}
   * @throws AnalysisException when Prometheus cannot be reached, rejects a query, or a query yields
   *                           more than one series
   */
  public Map<String, Double> evaluate(List<MetricQuery> queries, String service, String canary, String stable,
      Duration window) throws AnalysisException {
    Map<String, String> values = Map.of("service", service, "canary", canary, "stable", stable,
        "window", window(window));
    Instant at = clock.instant();
    Map<String, Double> out = new LinkedHashMap<>();
    for (MetricQuery q : queries) {
      String promql = q.expand(values);
      List<PrometheusApi.Result> results = api.query(promql, at);
      if (results.size() > 1) {
        throw new AnalysisException(PrometheusApi.ID, "query `" + q.name() + "` yields " + results.size()
            + " series, not one number: " + promql, "aggregate it, e.g. `sum(…)`, or select a single series");
      }
      out.put(q.name(), results.isEmpty() || Double.isNaN(results.get(0).value()) ? null : results.get(0).value());
    }
    return out;
  }

  /** A PromQL duration in whole seconds, rounded up, at least {@code 1s}. */
  static String window(Duration d) {
    long s = Math.max(1, d.getSeconds() + (d.getNano() > 0 ? 1 : 0));
    return s + "s";
  }
}
