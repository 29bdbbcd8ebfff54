package dev.slipway.kubernetes;

import dev.slipway.analysis.AnalysisException;
import dev.slipway.analysis.CanaryJudge;
import dev.slipway.analysis.Measurements;
import dev.slipway.analysis.MetricSource;
import dev.slipway.analysis.Sample;
import dev.slipway.analysis.Verdict;
import dev.slipway.model.Durations;
import dev.slipway.model.StrategySpec;
import dev.slipway.plan.ReleaseStep;
import dev.slipway.store.DeploymentPhase;
import java.util.Map;

/**
 * Canary on a cluster: a Deployment per release, the model's steps as locally ({@code setWeight},
 * {@code pause}, {@code analysis}), traffic weights through a {@link TrafficSplit} (Gateway API,
 * ingress-nginx, or the replica ratio, which only approximates them and says so), and analysis by the
 * local engine's {@link CanaryJudge} fed from the environment's Prometheus. A failed analysis, readiness
 * or crash loop sends all traffic back to stable first, in one patch ({@link TrafficSplit#restore}),
 * then scales the canary down; an analysis still inconclusive at its timeout pauses for a person, as
 * locally (never a pass).
 */
final class CanaryClusterRollout extends ReleaseSetRollout {
  private final TrafficSplit split;

  CanaryClusterRollout(RunnerContext ctx, RolloutRecord record, ClusterRelease previous, StrategySpec.Canary strategy) {
    super(ctx, record, previous, strategy);
    this.split = TrafficSplit.forService(ctx.client(), ctx.objects, spec.name());
  }

  private boolean coarse() {
    return ReplicaTrafficSplit.ID.equals(split.id());
  }

  @Override
  int launchReplicas(int count) {
    // With the replica ratio every ready pod takes traffic: the canary starts with none and grows with its weight.
    return coarse() && previous != null ? 0 : count;
  }

  @Override
  Next shift(int percent) throws KubernetesException, InterruptedException {
    String candidate = record.get().id();
    TrafficSplit.Applied applied = previous == null ? split.restore(spec.name(), candidate)
        : split.set(spec.name(), previous.id(), candidate, percent);
    ctx.say(label + ": canary " + percent + "% (" + describe(applied) + ")");
    if (coarse()) {
      // More canary pods: they must be ready before the weight counts as applied.
      RolloutWatch.Outcome o = ctx.watch.deployment(ClusterObjects.releaseName(spec.name(), candidate), candidate,
          label, ctx.stall(spec), ctx.progress);
      if (o instanceof RolloutWatch.Outcome.Failed f) {
        return new Next.Fail(f.reason());
      }
    }
    return GO;
  }

  @Override
  void restore() throws KubernetesException {
    TrafficSplit.Applied applied = split.restore(spec.name(), previous.id());
    ctx.say(label + ": all traffic back on " + previous.id() + " (" + describe(applied) + ")");
  }

  @Override
  void promoted() throws KubernetesException {
    split.restore(spec.name(), record.get().id());
  }

  /** {@code HTTPRoute weights 90/10}, {@code canary-weight 10}, {@code replicas 2/1, coarse}. */
  static String describe(TrafficSplit.Applied a) {
    String numbers = String.join("/", a.weights().values().stream().map(String::valueOf).toList());
    return switch (a.mechanism()) {
      case "gateway-api" -> "HTTPRoute weights " + numbers;
      case "ingress-nginx" -> "ingress-nginx canary-weight " + numbers;
      case "replicas" -> "replicas " + String.join("/", a.replicas().values().stream().map(String::valueOf).toList())
          + ", coarse";
      default -> a.describe();
    };
  }

  @Override
  Next analyze(int index, ReleaseStep.Analyze step, boolean waitForEnd) throws KubernetesException, InterruptedException {
    if (previous == null) {
      return GO;
    }
    MetricSource source = metrics();
    var limits = step.limits();
    String stable = previous.id();
    String canary = record.get().id();
    long deadline = System.nanoTime() + ctx.settings.clock().real(limits.timeout()).toNanos();
    StepQueries queries = new StepQueries(ClusterMetricSources.require(ctx, spec.name()), limits,
        java.time.Clock.systemUTC());
    CanaryJudge judge = null;
    Sample baseline = null;
    String last = null;
    while (true) {
      Verdict v;
      try {
        Sample now = source.sample(spec.name());
        if (judge == null) {
          baseline = now;
          judge = new CanaryJudge(limits, stable, canary, now);
          v = null;
        } else {
          v = judge.evaluate(now, queries.values(spec.name(), canary, stable, baseline, now));
        }
      } catch (AnalysisException e) {
        v = new Verdict.Inconclusive("metrics unavailable: " + e.format(), null);
      }
      if (v != null) {
        if (v.measurements() != null) {
          record.measurements(flatten(v.measurements()));
        }
        String line = switch (v) {
          case Verdict.Pass p -> "analysis passed — " + p.reason();
          case Verdict.Fail f -> "analysis failed — " + f.reason();
          case Verdict.Inconclusive i -> "analysis inconclusive — " + i.reason();
        };
        if (!line.equals(last)) {
          last = line;
          ctx.say(label + ": " + line);
        }
        if (v instanceof Verdict.Pass) {
          return GO;
        }
        if (v instanceof Verdict.Fail) {
          return new Next.Fail("analysis failed: " + v.reason());
        }
        if (System.nanoTime() - deadline > 0) {
          String why = "analysis inconclusive after " + Durations.human(limits.timeout()) + ": " + v.reason()
              + "; `slipway promote " + spec.name() + " --env " + ctx.env.name() + "` to continue or `slipway abort "
              + spec.name() + " --env " + ctx.env.name() + "`";
          record.enter(DeploymentPhase.PAUSING, index);
          return pause(null, waitForEnd, why);
        }
      }
      record.check();
      Thread.sleep(ctx.settings.analysisEvery());
    }
  }

  private MetricSource metrics() throws KubernetesException {
    if (ctx.settings.metrics() != null) {
      return ctx.settings.metrics().apply(spec.name());
    }
    return ClusterMetricSources.of(ctx);
  }

  /** The measurements as the record keeps them: {@code canary.errorRate}, {@code stable.p99Ms}, … */
  static Map<String, Double> flatten(Measurements m) {
    return GitOpsAnalysis.flatten(m);
  }
}
