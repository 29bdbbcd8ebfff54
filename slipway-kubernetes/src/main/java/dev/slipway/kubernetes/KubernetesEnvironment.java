package dev.slipway.kubernetes;

import dev.slipway.model.AppSpec;
import dev.slipway.model.CanaryStep;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.model.ServiceSpec;
import dev.slipway.model.StrategyKind;
import dev.slipway.model.StrategySpec;
import dev.slipway.plan.ImmediatePlanner;
import dev.slipway.store.DeploymentPhase;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@code kubernetes} environment driven through the cluster's API by this process (decision 0018): each
 * verb takes the service's Lease, reads its release records, and runs or continues a rollout whose every
 * step is recorded before it acts. A rollout left unfinished (the runner was killed) is continued by
 * {@code deploy --resume}, {@code promote}, {@code abort} or {@code rollback}, with the local engine's
 * crash rules: a recorded rollback is finished, never resumed forward; a recorded promotion is completed.
 */
final class KubernetesEnvironment implements ClusterEnvironment {
  private final RunnerContext ctx;

  KubernetesEnvironment(ClusterConnection cluster, AppSpec app, EnvironmentSpec env, RunnerSettings settings,
      Consumer<String> progress) {
    this.ctx = new RunnerContext(cluster, app, env, settings, progress);
  }

  RunnerContext context() {
    return ctx;
  }

  @Override
  public DeployResult deploy(DeployOrder order) throws KubernetesException {
    ServiceSpec s = ctx.service(order.service());
    StrategySpec strategy = strategy(s, order.strategy());
    if (ctx.settings.metrics() == null && strategy instanceof StrategySpec.Canary c
        && c.steps().stream().anyMatch(step -> step instanceof CanaryStep.Analysis)) {
      ClusterMetricSources.require(ctx, s.name());
    }
    return withLease(s.name(), order.queue(), held -> {
      List<ClusterRelease> history = ctx.records.list(s.name());
      if (history.isEmpty()) {
        boolean installed = false;
        for (String other : ctx.app.services().keySet()) {
          installed |= ctx.records.latest(other).isPresent();
        }
        return FirstDeploy.run(ctx, order, held, installed ? List.of(s.name()) : List.copyOf(ctx.app.services().keySet()));
      }
      ClusterRelease latest = history.get(0);
      if (latest.phase() == DeploymentPhase.HOLDING && !order.resume()) {
        // A new release ends the previous one's rollback window: the warm set is retired now.
        rollout(latest, history, held).run(false, true);
        history = ctx.records.list(s.name());
        latest = history.get(0);
      }
      if (latest.phase() != DeploymentPhase.DONE) {
        if (!order.resume()) {
          throw unfinished(latest);
        }
        ctx.say(ClusterRollout.label(latest) + ": resuming the " + latest.strategy() + " rollout at "
            + phase(latest) + " (step " + latest.step() + ")");
        return rollout(latest, history, held).run(order.waitForEnd(), false);
      }
      if (order.resume()) {
        return new DeployResult(latest, true, "nothing to resume: " + ClusterRollout.label(latest) + " has ended ("
            + latest.state() + ")");
      }
      ClusterRelease previous = live(history).orElse(null);
      String image = Images.resolve(s, order.imageTag(), order.image(), ctx.env.cluster().requireDigests());
      ClusterRelease next = new ClusterRelease(s.name(), latest.revision() + 1, image, ctx.objects.configDigest(s.name()),
          strategy.id(), DeploymentPhase.STARTING, RolloutRecord.IN_PROGRESS, null, 0, Map.of(),
          ctx.settings.clock().now(), null, ctx.cluster.options().runner());
      ctx.records.create(next);
      ctx.say(ClusterRollout.label(next) + ": " + strategy.id() + (previous == null ? "" : " from " + previous.id()
          + " (" + previous.image() + ")") + " to " + image);
      return ClusterRollout.of(strategy, ctx, new RolloutRecord(ctx, held, next), previous).run(order.waitForEnd(), false);
    });
  }

  @Override
  public DeployResult promote(String service, boolean waitForEnd) throws KubernetesException {
    ServiceSpec s = ctx.service(service);
    ClusterLease.Held held;
    try {
      held = ctx.leases.acquire(s.name(), null);
    } catch (KubernetesException e) {
      if (e.exitCode() != KubernetesException.HELD) {
        throw e;
      }
      return requestPromotion(s, e);
    }
    return withHeld(held, h -> {
      List<ClusterRelease> history = ctx.records.list(s.name());
      ClusterRelease latest = history.isEmpty() ? null : history.get(0);
      if (latest == null || latest.phase() == DeploymentPhase.DONE) {
        throw ctx.failed("nothing to promote: " + (latest == null ? s.name() + " has no release yet"
            : ClusterRollout.label(latest) + " has ended (" + latest.state() + ")"), null);
      }
      ctx.say(ClusterRollout.label(latest) + ": promoted by " + ctx.cluster.options().runner());
      return rollout(latest, history, h).run(waitForEnd, true);
    });
  }

  /** Another runner holds the Lease and runs the rollout: ask it to end its pause, through the candidate's Deployment. */
  private DeployResult requestPromotion(ServiceSpec s, KubernetesException held) throws KubernetesException {
    ClusterRelease latest = ctx.records.latest(s.name()).orElse(null);
    if (latest == null || latest.phase() != DeploymentPhase.PAUSING
        || !ctx.objects.perRelease(s.name())) {
      throw held;
    }
    String name = ClusterObjects.releaseName(s.name(), latest.id());
    try {
      ctx.client().apps().deployments().inNamespace(ctx.namespace()).withName(name).edit(d -> new DeploymentBuilder(d)
          .editMetadata().addToAnnotations(ReleaseSetRollout.PROMOTE, ctx.cluster.options().runner()).endMetadata()
          .build());
    } catch (KubernetesClientException e) {
      throw ctx.error(e, "patch", "deployments");
    }
    return new DeployResult(latest, true, "promotion of " + ClusterRollout.label(latest) + " requested: "
        + held.getMessage() + " and continues the rollout");
  }

  @Override
  public DeployResult abort(String service) throws KubernetesException {
    ServiceSpec s = ctx.service(service);
    return withLease(s.name(), null, held -> {
      List<ClusterRelease> history = ctx.records.list(s.name());
      ClusterRelease latest = history.isEmpty() ? null : history.get(0);
      if (latest == null || latest.phase() == DeploymentPhase.DONE) {
        throw ctx.failed("nothing to abort: " + (latest == null ? s.name() + " has no release yet"
            : ClusterRollout.label(latest) + " has ended (" + latest.state() + ")"), null);
      }
      DeployResult r = rollout(latest, history, held).rollBack("aborted by " + ctx.cluster.options().runner());
      return new DeployResult(r.release(), true, r.message());
    });
  }

  @Override
  public DeployResult rollback(String service, Integer toRevision) throws KubernetesException {
    ServiceSpec s = ctx.service(service);
    return withLease(s.name(), null, held -> {
      List<ClusterRelease> history = ctx.records.list(s.name());
      if (history.isEmpty()) {
        throw ctx.failed(s.name() + " has no release to roll back", null);
      }
      ClusterRelease latest = history.get(0);
      if (latest.phase() != DeploymentPhase.DONE && toRevision == null) {
        // An unfinished rollout, or a blue-green within its window: back to the release that served before.
        DeployResult r = rollout(latest, history, held).rollBack("rolled back by " + ctx.cluster.options().runner());
        return new DeployResult(r.release(), true, r.message());
      }
      if (latest.phase() != DeploymentPhase.DONE) {
        throw unfinished(latest);
      }
      return Rollbacks.toRevision(ctx, s, history, toRevision, held);
    });
  }

  @Override
  public ClusterStatus status() throws KubernetesException {
    for (String service : ctx.app.services().keySet()) {
      finishDueHold(service);
    }
    return ClusterStatusReader.read(ctx);
  }

  /** A blue-green whose rollback window has passed while no runner waited: its warm release is retired now. */
  private void finishDueHold(String service) throws KubernetesException {
    Optional<ClusterRelease> latest = ctx.records.latest(service);
    if (latest.isEmpty() || latest.get().phase() != DeploymentPhase.HOLDING) {
      return;
    }
    ClusterLease.Held held;
    try {
      held = ctx.leases.acquire(service, null);
    } catch (KubernetesException e) {
      return; // someone else acts on it now and will finish it
    }
    withHeld(held, h -> {
      List<ClusterRelease> history = ctx.records.list(service);
      return history.get(0).phase() == DeploymentPhase.HOLDING ? rollout(history.get(0), history, h).run(false, false)
          : null;
    });
  }

  @Override
  public List<ClusterRelease> history(String service) throws KubernetesException {
    return ctx.records.list(ctx.service(service).name());
  }

  @Override
  public void logs(String service, boolean follow, int tailLines, Consumer<String> out) throws KubernetesException {
    ClusterLogs.stream(ctx, ctx.service(service).name(), follow, tailLines, out);
  }

  @Override
  public List<String> downPlan() throws KubernetesException {
    return ClusterTeardown.plan(ctx);
  }

  @Override
  public void down() throws KubernetesException {
    ClusterTeardown.run(ctx);
  }

  @Override
  public void close() {
    ctx.watch.close();
    ctx.cluster.close();
  }

  /** The rollout that continues {@code latest} (its recorded strategy, the model's mechanism). */
  ClusterRollout rollout(ClusterRelease latest, List<ClusterRelease> history, ClusterLease.Held held) {
    ClusterRelease previous = history.stream().filter(r -> r.revision() < latest.revision())
        .filter(r -> RolloutRecord.LIVE.equals(r.state()) || RolloutRecord.SUPERSEDED.equals(r.state()))
        .findFirst().orElse(null);
    return ClusterRollout.of(ctx.app.service(latest.service()).strategy(), ctx, new RolloutRecord(ctx, held, latest),
        previous);
  }

  static Optional<ClusterRelease> live(List<ClusterRelease> history) {
    return history.stream().filter(r -> RolloutRecord.LIVE.equals(r.state())).findFirst();
  }

  /**
   * The strategy a deploy runs: the model's, or {@code --strategy}'s when it is the same kind. On a cluster
   * the kind decides the objects (one rolling Deployment, or one per release), so it cannot change per deploy.
   */
  private StrategySpec strategy(ServiceSpec s, String requested) throws KubernetesException {
    if (requested == null || ImmediatePlanner.ID.equals(requested)) {
      return s.strategy();
    }
    StrategyKind kind = StrategyKind.byName(requested).orElseThrow(() -> new KubernetesException(
        "unknown strategy `" + requested + "`", ctx.cluster.context(), ctx.namespace(),
        "use " + StrategyKind.ids(), KubernetesException.BAD_INPUT));
    if (kind != s.strategy().kind()) {
      throw new KubernetesException("--strategy " + kind.id() + " cannot run for " + s.name() + " on a cluster: its objects "
          + "are made for its model strategy, " + s.strategy().id(), ctx.cluster.context(), ctx.namespace(),
          "change services." + s.name() + ".strategy in the model (the next deploy then uses it), or deploy without "
              + "--strategy", KubernetesException.BAD_INPUT);
    }
    return s.strategy();
  }

  private KubernetesException unfinished(ClusterRelease latest) {
    String service = latest.service();
    String env = ctx.env.name();
    return new KubernetesException(ClusterRollout.label(latest) + " has an unfinished " + latest.strategy()
        + " rollout (" + phase(latest) + ", step " + latest.step() + (latest.reason() == null ? "" : ": "
        + latest.reason()) + ")", ctx.cluster.context(), ctx.namespace(),
        "continue it: `slipway deploy " + service + " --env " + env + " --resume`, or `slipway promote " + service
            + " --env " + env + "`; or roll it back: `slipway abort " + service + " --env " + env + "`",
        KubernetesException.FAILED);
  }

  static String phase(ClusterRelease r) {
    return r.phase().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** A command's work while it holds the service's Lease. */
  interface Held<T> {
    T run(ClusterLease.Held held) throws KubernetesException, InterruptedException;
  }

  private <T> T withLease(String service, Duration queue, Held<T> body) throws KubernetesException {
    return withHeld(ctx.leases.acquire(service, queue), body);
  }

  private <T> T withHeld(ClusterLease.Held held, Held<T> body) throws KubernetesException {
    boolean halted = false;
    try {
      return body.run(held);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ctx.failed("interrupted while acting on " + held.service() + "; its record says where it stopped",
          "see `slipway status --env " + ctx.env.name() + "`, then `slipway deploy " + held.service() + " --env "
              + ctx.env.name() + " --resume`");
    } catch (RunnerChaos.Halted e) {
      // Like kill -9: the Lease is neither released nor renewed (the client goes), so it expires.
      halted = true;
      ctx.cluster.close();
      throw e;
    } finally {
      if (!halted) {
        held.close();
      }
    }
  }
}
