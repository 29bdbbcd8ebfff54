package dev.slipway.kubernetes;

import dev.slipway.analysis.AnalysisException;
import dev.slipway.analysis.CanaryJudge;
import dev.slipway.analysis.Measurements;
import dev.slipway.analysis.MetricSource;
import dev.slipway.analysis.Sample;
import dev.slipway.analysis.Verdict;
import dev.slipway.model.CanaryStep;
import dev.slipway.model.Durations;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.model.PrometheusSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A canary's {@code analysis} step in GitOps mode, judged exactly as locally and in direct mode: the
 * local engine's {@link CanaryJudge} over the window from a baseline sample to now, fed by
 * {@link ClusterMetricSource} from the environment's Prometheus (and the step's custom queries through
 * {@link StepQueries}), asked every {@link #every}. Metrics that cannot be read are inconclusive, never a
 * pass; inconclusive at the step's {@code timeout} ends as such, for a person to decide.
 */
final class GitOpsAnalysis {
  /** How often the judge looks again (docs/analysis.md: about every 250 ms). */
  static final Duration DEFAULT_EVERY = Duration.ofMillis(250);
  /** One Prometheus query's time limit. */
  static final Duration QUERY_TIMEOUT = StepQueries.QUERY_TIMEOUT;

  /**
   * How a step ended: the last verdict ({@code Inconclusive} when its timeout passed without a decision)
   * and what was measured, flattened as release records keep it ({@code canary.errorRate}, …).
   */
  record Result(Verdict verdict, Map<String, Double> measurements) {}

  private final PrometheusSpec prometheus;
  private final String namespace;
  private final Consumer<String> progress;
  private final Clock clock = Clock.systemUTC();
  Duration every = DEFAULT_EVERY;

  GitOpsAnalysis(PrometheusSpec prometheus, String namespace, Consumer<String> progress) {
    this.prometheus = prometheus;
    this.namespace = namespace;
    this.progress = progress;
  }

  /**
   * Refuses (exit 2) a canary with analysis steps on an environment without {@code prometheus:}, before
   * anything is committed: a canary that could only ever end inconclusive would pause at every analysis.
   */
  static void require(EnvironmentSpec env, String namespace, String service, String modelFile)
      throws KubernetesException {
    if (env.cluster().prometheus() == null) {
      throw new KubernetesException("the canary of " + service + " has analysis steps, and they need metrics, but "
          + "environment " + env.name() + " has no `prometheus:`", null, namespace,
          "add `prometheus: http://PROMETHEUS:9090` to environments." + env.name() + " in " + modelFile
              + " (see docs/kubernetes.md, Analysis), or remove the analysis steps from the canary for this environment",
          KubernetesException.BAD_INPUT);
    }
  }

  /** Judges {@code canary} against {@code stable} (release ids) under {@code step}'s limits. */
  Result judge(String service, String stable, String canary, CanaryStep.Analysis step) throws KubernetesException {
    MetricSource source = new ClusterMetricSource(prometheus, namespace, QUERY_TIMEOUT, clock);
    StepQueries queries = new StepQueries(prometheus, step, clock);
    String label = service + " " + canary;
    long deadline = System.nanoTime() + step.timeout().toNanos();
    Sample baseline = null;
    CanaryJudge judge = null;
    String last = null;
    Verdict v = null;
    Map<String, Double> measured = Map.of();
    while (true) {
      try {
        Sample now = source.sample(service);
        if (judge == null) {
          baseline = now;
          judge = new CanaryJudge(step, stable, canary, baseline);
        } else {
          v = judge.evaluate(now, queries.values(service, canary, stable, baseline, now));
        }
      } catch (AnalysisException e) {
        v = new Verdict.Inconclusive("metrics unavailable: " + e.format(), null);
      }
      if (v != null) {
        if (v.measurements() != null) {
          measured = flatten(v.measurements());
        }
        String line = switch (v) {
          case Verdict.Pass p -> "analysis passed — " + p.reason();
          case Verdict.Fail f -> "analysis failed — " + f.reason();
          case Verdict.Inconclusive i -> "analysis inconclusive — " + i.reason();
        };
        if (!line.equals(last)) {
          last = line;
          progress.accept("· " + label + ": " + line);
        }
        if (!(v instanceof Verdict.Inconclusive)) {
          return new Result(v, measured);
        }
        if (System.nanoTime() - deadline > 0) {
          return new Result(new Verdict.Inconclusive("analysis inconclusive after " + Durations.human(step.timeout())
              + ": " + v.reason(), v.measurements()), measured);
        }
      }
      try {
        Thread.sleep(every);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KubernetesException("interrupted during the analysis of " + label, null, namespace,
            "`slipway deploy " + service + " --env ENV --resume` goes on from the last commit", KubernetesException.FAILED, e);
      }
    }
  }

  /** The measurements as release records keep them: {@code canary.errorRate}, {@code stable.p99Ms}, … */
  static Map<String, Double> flatten(Measurements m) {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("windowSeconds", m.windowSeconds());
    version(out, "canary", m.canary());
    version(out, "stable", m.stable());
    m.queries().forEach((k, v) -> {
      if (v != null) {
        out.put("queries." + k, v);
      }
    });
    return out;
  }

  private static void version(Map<String, Double> out, String prefix, Measurements.Version v) {
    if (v == null) {
      return;
    }
    out.put(prefix + ".requests", (double) v.requests());
    out.put(prefix + ".errors", (double) v.errors());
    if (v.errorRate() != null) {
      out.put(prefix + ".errorRate", v.errorRate());
    }
    if (v.p95Ms() != null) {
      out.put(prefix + ".p95Ms", v.p95Ms());
    }
    if (v.p99Ms() != null) {
      out.put(prefix + ".p99Ms", v.p99Ms());
    }
  }
}
