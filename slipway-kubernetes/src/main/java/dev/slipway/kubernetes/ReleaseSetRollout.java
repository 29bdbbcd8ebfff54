package dev.slipway.kubernetes;

import dev.slipway.model.ServiceSpec;
import dev.slipway.plan.ImmediatePlanner;
import dev.slipway.plan.ReleasePlan;
import dev.slipway.plan.ReleasePlanner;
import dev.slipway.plan.ReleaseStep;
import dev.slipway.store.DeploymentPhase;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A rollout that runs one Deployment per release ({@code SERVICE-rN}) and moves traffic between them:
 * the planner's steps ({@link ReleasePlanner}, the same as locally) run one by one, each recorded before
 * it acts. What differs per strategy is how traffic moves ({@link #shift}, {@link #restore}) and what a
 * strategy adds (blue-green's warm hold, canary's analysis).
 */
abstract sealed class ReleaseSetRollout implements ClusterRollout permits BlueGreenClusterRollout, CanaryClusterRollout {
  /** The annotation another runner sets on the candidate's Deployment to end a pause ({@code promote}). */
  static final String PROMOTE = "slipway.dev/promote";

  final RunnerContext ctx;
  final RolloutRecord record;
  final ClusterRelease previous;
  final ServiceSpec spec;
  final ReleasePlan plan;
  final String label;

  ReleaseSetRollout(RunnerContext ctx, RolloutRecord record, ClusterRelease previous,
      dev.slipway.model.StrategySpec strategy) {
    this.ctx = ctx;
    this.record = record;
    this.previous = previous;
    this.spec = ctx.app.service(record.get().service());
    ReleasePlanner planner = ImmediatePlanner.ID.equals(record.get().strategy()) ? new ImmediatePlanner()
        : ReleasePlanner.forStrategy(strategy);
    this.plan = planner.plan(strategy, spec.replicas(), previous != null);
    this.label = ClusterRollout.label(record.get());
  }

  /** A step's result: go on, stop here for a person, or roll back. */
  sealed interface Next {
    record Go() implements Next {}

    record Wait(String message) implements Next {}

    record Fail(String reason) implements Next {}
  }

  static final Next GO = new Next.Go();

  /** Moves {@code percent} of the traffic to the candidate (100: all of it). */
  abstract Next shift(int percent) throws KubernetesException, InterruptedException;

  /** All traffic back to the previous release, in one patch. */
  abstract void restore() throws KubernetesException;

  /** The candidate now has all traffic for good: what the strategy tidies (canary: the split's objects). */
  void promoted() throws KubernetesException {}

  /** Blue-green's warm window; a canary has none. */
  Next hold(int index, Duration window, boolean waitForEnd) throws KubernetesException, InterruptedException {
    return GO;
  }

  /** Canary analysis; a blue-green has none. */
  Next analyze(int index, ReleaseStep.Analyze step, boolean waitForEnd) throws KubernetesException, InterruptedException {
    return GO;
  }

  @Override
  public DeployResult run(boolean waitForEnd, boolean skipCurrent) throws KubernetesException, InterruptedException {
    ClusterRelease r = record.get();
    if (r.phase() == DeploymentPhase.ROLLING_BACK) {
      return rollBack(r.reason());
    }
    long started = System.nanoTime();
    int from = Math.max(0, r.step());
    if (skipCurrent && from < plan.steps().size() && ReleaseStep.waits(plan.steps().get(from))) {
      from++;
    }
    for (int i = from; i < plan.steps().size(); i++) {
      ReleaseStep step = plan.steps().get(i);
      Next next = execute(i, step, waitForEnd);
      if (next instanceof Next.Fail f) {
        if (i >= plan.promotionIndex()) {
          // Past the verdict: the local engine completes a promotion and never sends it back.
          throw ctx.failed(label + ": " + f.reason(), "run `slipway deploy " + spec.name() + " --env "
              + ctx.env.name() + " --resume` to complete the promotion");
        }
        return rollBack(f.reason());
      }
      if (next instanceof Next.Wait w) {
        return new DeployResult(record.get(), true, w.message());
      }
    }
    ClusterRelease done = record.finish(RolloutRecord.LIVE, null);
    return new DeployResult(done, true, label + " is live (" + done.strategy() + ", "
        + RollingClusterRollout.seconds(started) + ")");
  }

  private Next execute(int i, ReleaseStep step, boolean waitForEnd) throws KubernetesException, InterruptedException {
    return switch (step) {
      case ReleaseStep.Launch l -> {
        record.enter(DeploymentPhase.STARTING, i);
        launch(l.count());
        yield GO;
      }
      case ReleaseStep.AwaitReady a -> {
        record.enter(DeploymentPhase.STARTING, i);
        yield awaitReady();
      }
      case ReleaseStep.Smoke s -> {
        record.enter(DeploymentPhase.STARTING, i);
        String failed = spec.port() == null ? null : SmokeChecks.run(ctx,
            ClusterObjects.releaseName(spec.name(), record.get().id()), s.checks(), label);
        yield failed == null ? GO : new Next.Fail(failed);
      }
      case ReleaseStep.Weight w -> {
        boolean promoting = i >= plan.promotionIndex();
        record.enter(promoting ? DeploymentPhase.PROMOTING : DeploymentPhase.SHIFTING, i);
        Next shifted = shift(w.percent());
        if (promoting && shifted == GO) {
          ctx.settings.chaos().at("promoting");
        }
        yield shifted;
      }
      case ReleaseStep.Pause p -> {
        record.enter(DeploymentPhase.PAUSING, i);
        yield pause(p.duration(), waitForEnd, "paused until `slipway promote " + spec.name() + " --env "
            + ctx.env.name() + "`");
      }
      case ReleaseStep.Analyze a -> {
        record.enter(DeploymentPhase.ANALYSING, i);
        yield analyze(i, a, waitForEnd);
      }
      case ReleaseStep.Promote p -> {
        record.enter(DeploymentPhase.PROMOTING, i);
        promoted();
        record.live();
        RollingClusterRollout.supersede(ctx, previous);
        yield GO;
      }
      case ReleaseStep.HoldPrevious h -> {
        record.enter(DeploymentPhase.HOLDING, i);
        yield hold(i, h.window(), waitForEnd);
      }
      case ReleaseStep.RetireStable r -> {
        record.enter(DeploymentPhase.RETIRING, i);
        if (previous != null && r.keep() == 0) {
          retire(previous.id());
        }
        yield GO;
      }
    };
  }

  /** The candidate's Deployment and its own Service, at {@code count} replicas. */
  void launch(int count) throws KubernetesException {
    ClusterRelease r = record.get();
    Deployment d = ctx.objects.workload(spec.name(), r.id(), r.image());
    if (spec.autoscaling() != null) {
      // The autoscaler sized the live release for its load: the new set starts as large (or at its minimum).
      count = AutoscaledReplicas.of(ctx, spec, previous == null ? d.getMetadata().getName()
          : ClusterObjects.releaseName(spec.name(), previous.id()), count);
    }
    d = new DeploymentBuilder(d).editSpec().withReplicas(launchReplicas(count)).endSpec().build();
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(d);
    var svc = ctx.objects.releaseService(spec.name(), r.id());
    if (svc != null) {
      objects.add(svc);
    }
    ctx.applier.apply(objects);
    ctx.say(label + ": Deployment " + d.getMetadata().getName() + " with " + d.getSpec().getReplicas() + " pod"
        + (d.getSpec().getReplicas() == 1 ? "" : "s") + " (" + r.image() + ")");
  }

  /** How many pods the candidate starts with (a replica-ratio canary starts small). */
  int launchReplicas(int count) {
    return count;
  }

  /**
   * The candidate's pods ready, then its endpoints ready in its Service's EndpointSlices: what the data
   * plane routes to, not only what the kubelet reports.
   */
  Next awaitReady() throws KubernetesException, InterruptedException {
    ClusterRelease r = record.get();
    String name = ClusterObjects.releaseName(spec.name(), r.id());
    RolloutWatch.Outcome o = ctx.watch.deployment(name, r.id(), label, ctx.stall(spec), ctx.progress);
    if (o instanceof RolloutWatch.Outcome.Failed f) {
      return new Next.Fail(f.reason());
    }
    if (spec.port() != null) {
      int pods = ((RolloutWatch.Outcome.Ready) o).pods();
      RolloutWatch.Outcome e = ctx.watch.endpoints(name, pods, ctx.stall(spec));
      if (e instanceof RolloutWatch.Outcome.Failed f) {
        return new Next.Fail(f.reason());
      }
      ctx.say(label + ": " + pods + " ready endpoint" + (pods == 1 ? "" : "s") + " in Service " + name);
    }
    return GO;
  }

  /**
   * A pause: {@code duration} (shortened in tests), ended early by a promote; without a duration, until a
   * promote, which the runner waits for only with {@code --wait}.
   */
  Next pause(Duration duration, boolean waitForEnd, String why) throws KubernetesException, InterruptedException {
    String candidate = ClusterObjects.releaseName(spec.name(), record.get().id());
    if (duration == null) {
      record.note(why);
      ctx.say(label + ": " + why);
      if (!waitForEnd) {
        return new Next.Wait(label + " " + why);
      }
      RolloutWatch.Outcome o = ctx.watch.annotation(candidate, PROMOTE, ctx.settings.promoteWait());
      if (o instanceof RolloutWatch.Outcome.Failed) {
        return new Next.Wait(label + " still " + why);
      }
    } else {
      ctx.say(label + ": pause " + dev.slipway.model.Durations.human(duration));
      ctx.watch.annotation(candidate, PROMOTE, ctx.settings.clock().real(duration));
    }
    clearPromote(candidate);
    return GO;
  }

  private void clearPromote(String deployment) throws KubernetesException {
    try {
      ctx.client().apps().deployments().inNamespace(ctx.namespace()).withName(deployment).edit(d -> {
        if (d.getMetadata().getAnnotations() != null) {
          d.getMetadata().getAnnotations().remove(PROMOTE);
        }
        return d;
      });
    } catch (KubernetesClientException e) {
      throw ctx.error(e, "patch", "deployments");
    }
  }

  /** Scales a release's Deployment to zero and deletes it with its own Service. */
  void retire(String releaseId) throws KubernetesException {
    String name = ClusterObjects.releaseName(spec.name(), releaseId);
    try {
      var d = ctx.client().apps().deployments().inNamespace(ctx.namespace()).withName(name);
      if (d.get() != null) {
        d.scale(0);
        d.delete();
      }
      ctx.client().services().inNamespace(ctx.namespace()).withName(name).delete();
    } catch (KubernetesClientException e) {
      throw ctx.error(e, "delete", "deployments");
    }
    ctx.say(label + ": " + releaseId + " retired (Deployment " + name + " deleted)");
  }

  @Override
  public DeployResult rollBack(String reason) throws KubernetesException, InterruptedException {
    ClusterRelease r = record.get();
    record.enter(DeploymentPhase.ROLLING_BACK, r.step());
    if (r.reason() == null || !r.reason().equals(reason)) {
      record.note(reason);
    }
    if (previous == null) {
      retire(r.id());
      ClusterRelease failed = record.finish(RolloutRecord.FAILED, reason);
      return new DeployResult(failed, false, label + " failed — " + reason + " (no earlier release to go back to)");
    }
    restore();
    ctx.settings.chaos().at("rolling-back");
    retire(r.id());
    revive(previous);
    ClusterRelease done = record.finish(RolloutRecord.ROLLED_BACK, reason);
    ctx.say(label + ": rolled back — " + reason);
    return new DeployResult(done, false, label + " rolled back: " + reason);
  }

  /** A rollback after the promotion (within a blue-green window): the previous release is live again. */
  private void revive(ClusterRelease release) throws KubernetesException {
    ClusterRelease fresh = ctx.records.get(release.service(), release.revision()).orElse(release);
    if (RolloutRecord.SUPERSEDED.equals(fresh.state())) {
      ctx.records.update(RolloutRecord.ended(fresh, RolloutRecord.LIVE, fresh.reason(), fresh.finished()));
    }
  }
}
