package dev.slipway.kubernetes;

import dev.slipway.analysis.AnalysisException;
import dev.slipway.analysis.PromQueries;
import dev.slipway.analysis.Sample;
import dev.slipway.model.CanaryStep;
import dev.slipway.model.PrometheusSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The custom {@code queries} of a canary's analysis step on a cluster (direct and GitOps mode alike), as the
 * local engine evaluates them: each an instant query against the environment's Prometheus over the window
 * from the step's baseline sample to now, its value handed to the judge next to the sample. A step without
 * queries asks nothing.
 */
final class StepQueries {
  /** One Prometheus query's time limit. */
  static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

  private final PromQueries prom;
  private final CanaryStep.Analysis step;

  StepQueries(PrometheusSpec prometheus, CanaryStep.Analysis step, Clock clock) {
    this.step = step;
    this.prom = step.queries().isEmpty() || prometheus == null ? null
        : new PromQueries(prometheus.url(), QUERY_TIMEOUT, clock);
  }

  /** Each query's value by name ({@code null}: no data), for the window {@code baseline} → {@code now}. */
  Map<String, Double> values(String service, String canary, String stable, Sample baseline, Sample now)
      throws AnalysisException {
    return prom == null ? Map.of() : prom.evaluate(step.queries(), service, canary, stable, now.since(baseline));
  }
}
