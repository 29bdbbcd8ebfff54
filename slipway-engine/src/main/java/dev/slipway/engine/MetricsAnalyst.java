package dev.slipway.engine;

import dev.slipway.analysis.AnalysisException;
import dev.slipway.analysis.CanaryJudge;
import dev.slipway.analysis.MetricSource;
import dev.slipway.analysis.PromQueries;
import dev.slipway.analysis.Sample;

import dev.slipway.model.CanaryStep;
import java.util.List;
import java.util.Map;

/**
 * Judges a candidate from live metrics: the router's own (default) or Prometheus's, plus the
 * analysis step's PromQL queries when the model has a Prometheus. A source that cannot be read
 * makes the verdict inconclusive, never a pass.
 */
final class MetricsAnalyst implements Analyst {
  private final MetricSource source;
  private final PromQueries queries;

  /**
   * @param source  where request, error and latency counters come from
   * @param queries the Prometheus that runs custom queries, or null when the model has none
   */
  MetricsAnalyst(MetricSource source, PromQueries queries) {
    this.source = source;
    this.queries = queries;
  }

  @Override
  public Window open(String service, String stable, String candidate, CanaryStep.Analysis limits)
      throws EngineException {
    Sample baseline;
    try {
      baseline = source.sample(service);
    } catch (AnalysisException e) {
      throw new EngineException(service, "cannot read metrics for analysis: " + e.format(), e.hint(), List.of(), e);
    }
    CanaryJudge judge = new CanaryJudge(limits, stable, candidate, baseline);
    return () -> {
      try {
        Sample now = source.sample(service);
        Map<String, Double> values = Map.of();
        if (queries != null && !limits.queries().isEmpty()) {
          values = queries.evaluate(limits.queries(), service, candidate, stable, now.since(baseline));
        }
        return convert(judge.evaluate(now, values));
      } catch (AnalysisException e) {
        return new Verdict("inconclusive", "metrics unavailable: " + e.format(), Map.of());
      }
    };
  }

  private static Verdict convert(dev.slipway.analysis.Verdict v) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = ReleaseConfig.JSON.convertValue(v.measurements(), Map.class);
    String outcome = switch (v) {
      case dev.slipway.analysis.Verdict.Pass p -> "pass";
      case dev.slipway.analysis.Verdict.Fail f -> "fail";
      case dev.slipway.analysis.Verdict.Inconclusive i -> "inconclusive";
    };
    return new Verdict(outcome, v.reason(), m);
  }
}
