package dev.slipway.kubernetes;

import dev.slipway.model.ServiceSpec;
import dev.slipway.plan.ImmediatePlanner;
import dev.slipway.store.DeploymentPhase;
import java.util.List;
import java.util.Map;

/**
 * {@code rollback [--to N]} once a service's rollouts have ended: a new release (strategy
 * {@code immediate}) with the earlier revision's image, by the service's own mechanism: the rolling
 * Deployment's template, or a new {@code SERVICE-rN} and one switch of the selector or weights. Recorded
 * as a new revision, so history only grows.
 */
final class Rollbacks {
  private Rollbacks() {}

  static DeployResult toRevision(RunnerContext ctx, ServiceSpec s, List<ClusterRelease> history, Integer to,
      ClusterLease.Held held) throws KubernetesException, InterruptedException {
    ClusterRelease live = KubernetesEnvironment.live(history).orElse(null);
    ClusterRelease target;
    if (to != null) {
      target = history.stream().filter(r -> r.revision() == to).findFirst().orElseThrow(() -> ctx.failed(
          s.name() + " has no release r" + to, "see `slipway history " + s.name() + " --env " + ctx.env.name() + "`"));
    } else {
      int below = live == null ? Integer.MAX_VALUE : live.revision();
      target = history.stream().filter(r -> r.revision() < below)
          .filter(r -> RolloutRecord.SUPERSEDED.equals(r.state()) || RolloutRecord.LIVE.equals(r.state()))
          .findFirst().orElseThrow(() -> ctx.failed(s.name() + " has no earlier release that served to go back to",
              "see `slipway history " + s.name() + " --env " + ctx.env.name() + "`"));
    }
    if (live != null && live.image().equals(target.image()) && live.configDigest().equals(ctx.objects.configDigest(s.name()))) {
      return new DeployResult(live, true, s.name() + " " + live.id() + " already runs " + target.id() + "'s image ("
          + target.image() + ")");
    }
    String digest = ctx.objects.configDigest(s.name());
    if (!digest.equals(target.configDigest())) {
      ctx.say(s.name() + ": note: the configuration differs from " + target.id() + "'s (the model changed since); "
          + "the rollback restores its image with the current configuration");
    }
    ClusterRelease next = new ClusterRelease(s.name(), history.get(0).revision() + 1, target.image(), digest,
        ImmediatePlanner.ID, DeploymentPhase.STARTING, RolloutRecord.IN_PROGRESS, "rollback to " + target.id(), 0,
        Map.of(), ctx.settings.clock().now(), null, ctx.cluster.options().runner());
    ctx.records.create(next);
    ctx.say(ClusterRollout.label(next) + ": rollback to " + target.id() + " (" + target.image() + ")");
    return ClusterRollout.of(s.strategy(), ctx, new RolloutRecord(ctx, held, next), live).run(true, false);
  }
}
