package dev.slipway.kubernetes;

import dev.slipway.model.ServiceSpec;
import dev.slipway.model.StrategySpec;
import dev.slipway.store.DeploymentPhase;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;

/**
 * Rolling on a cluster is the Deployment's own rolling update: the runner applies the new template
 * (image, release label, config digest) with the model's maxSurge / maxUnavailable and watches it roll
 * out (observedGeneration, updated and available replicas, crash loops, a stall). On failure it applies
 * the previous template again and waits for it, so the service ends as it was.
 */
final class RollingClusterRollout implements ClusterRollout {
  private final RunnerContext ctx;
  private final RolloutRecord record;
  private final ClusterRelease previous;
  private final StrategySpec.Rolling strategy;
  private final ServiceSpec spec;
  /** The template before this rollout changed it: what a failure restores (null after a restart). */
  private PodTemplateSpec before;

  RollingClusterRollout(RunnerContext ctx, RolloutRecord record, ClusterRelease previous, StrategySpec.Rolling strategy) {
    this.ctx = ctx;
    this.record = record;
    this.previous = previous;
    this.strategy = strategy;
    this.spec = ctx.app.service(record.get().service());
  }

  @Override
  public DeployResult run(boolean waitForEnd, boolean skipCurrent) throws KubernetesException, InterruptedException {
    ClusterRelease r = record.get();
    if (r.phase() == DeploymentPhase.ROLLING_BACK) {
      return rollBack(r.reason());
    }
    long started = System.nanoTime();
    String label = ClusterRollout.label(r);
    if (r.phase() != DeploymentPhase.PROMOTING) {
      record.enter(DeploymentPhase.STARTING, 0);
      Deployment current = get();
      if (current != null && previous != null && previous.id().equals(releaseOf(current.getSpec().getTemplate()))) {
        before = current.getSpec().getTemplate();
      }
      apply(AutoscaledReplicas.keepLive(ctx, spec, ctx.objects.workload(spec.name(), r.id(), r.image())));
      ctx.say(label + ": rolling update of Deployment " + spec.name() + " (maxSurge " + strategy.maxSurge()
          + ", maxUnavailable " + strategy.maxUnavailable() + ")");
      RolloutWatch.Outcome o = ctx.watch.deployment(spec.name(), r.id(), label, ctx.stall(spec), ctx.progress);
      if (o instanceof RolloutWatch.Outcome.Failed f) {
        return rollBack(f.reason());
      }
      record.enter(DeploymentPhase.PROMOTING, 1);
    }
    record.live();
    supersede(ctx, previous);
    ClusterRelease done = record.finish(RolloutRecord.LIVE, null);
    return new DeployResult(done, true, label + " is live (" + r.strategy() + ", " + seconds(started) + ")");
  }

  @Override
  public DeployResult rollBack(String reason) throws KubernetesException, InterruptedException {
    ClusterRelease r = record.get();
    String label = ClusterRollout.label(r);
    record.enter(DeploymentPhase.ROLLING_BACK, r.step());
    if (r.reason() == null || !r.reason().equals(reason)) {
      record.note(reason);
    }
    if (previous == null) {
      ClusterRelease failed = record.finish(RolloutRecord.FAILED, reason);
      return new DeployResult(failed, false, label + " failed — " + reason + " (no earlier release to go back to)");
    }
    ctx.say(label + ": rolling back to " + previous.id() + " — " + reason);
    Deployment restore = ctx.objects.workload(spec.name(), previous.id(), previous.image());
    if (before != null) {
      restore.getSpec().setTemplate(before);
    }
    apply(AutoscaledReplicas.keepLive(ctx, spec, restore));
    ctx.settings.chaos().at("rolling-back");
    RolloutWatch.Outcome o = ctx.watch.deployment(spec.name(), previous.id(), spec.name() + " " + previous.id(),
        ctx.stall(spec), ctx.progress);
    String why = o instanceof RolloutWatch.Outcome.Failed f
        ? reason + "; " + previous.id() + " is not ready again either: " + f.reason() : reason;
    ClusterRelease done = record.finish(RolloutRecord.ROLLED_BACK, why);
    ctx.say(label + ": rolled back — " + why);
    return new DeployResult(done, false, label + " rolled back: " + why);
  }

  private Deployment get() throws KubernetesException {
    try {
      return ctx.client().apps().deployments().inNamespace(ctx.namespace()).withName(spec.name()).get();
    } catch (KubernetesClientException e) {
      throw ctx.error(e, "get", "deployments");
    }
  }

  private void apply(Deployment d) throws KubernetesException {
    ctx.applier.apply(List.of(d));
  }

  static String releaseOf(PodTemplateSpec t) {
    return t == null || t.getMetadata() == null || t.getMetadata().getLabels() == null ? null
        : t.getMetadata().getLabels().get(ClusterObjects.RELEASE);
  }

  /** The release that was live is now superseded by the record's. */
  static void supersede(RunnerContext ctx, ClusterRelease previous) throws KubernetesException {
    if (previous != null) {
      ClusterRelease fresh = ctx.records.get(previous.service(), previous.revision()).orElse(previous);
      if (RolloutRecord.LIVE.equals(fresh.state())) {
        ctx.records.update(RolloutRecord.ended(fresh, RolloutRecord.SUPERSEDED, null, ctx.settings.clock().now()));
      }
    }
  }

  static String seconds(long startedNanos) {
    return dev.slipway.model.Durations.human(Duration.ofMillis((System.nanoTime() - startedNanos) / 1_000_000));
  }
}
