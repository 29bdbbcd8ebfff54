package dev.slipway.kubernetes;

import dev.slipway.model.ServiceSpec;
import dev.slipway.model.StrategySpec;
import dev.slipway.store.DeploymentPhase;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code status --env E}: per service of the model, what the cluster holds: the live release and its pods,
 * a rollout in progress or interrupted (its record's phase), the traffic split in force, and who holds
 * the service's Lease. Read only from the cluster, so any runner sees the same.
 */
final class ClusterStatusReader {
  private ClusterStatusReader() {}

  static ClusterStatus read(RunnerContext ctx) throws KubernetesException {
    List<ClusterStatus.Service> rows = new ArrayList<>();
    for (ServiceSpec s : ctx.app.services().values()) {
      List<ClusterRelease> history = ctx.records.list(s.name());
      ClusterRelease live = KubernetesEnvironment.live(history).orElse(null);
      ClusterRelease rollout = history.isEmpty() || history.get(0).phase() == DeploymentPhase.DONE ? null : history.get(0);
      int ready = 0;
      int desired = 0;
      if (live != null) {
        Deployment d = deployment(ctx, ctx.objects.workloadName(s.name(), live.id()));
        if (d != null) {
          desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
          ready = d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
        }
      }
      rows.add(new ClusterStatus.Service(s.name(), live == null ? null : live.id(), live == null ? null : live.image(),
          ready, desired, rollout == null ? null : rollout.id(), rollout == null ? null : KubernetesEnvironment.phase(rollout),
          traffic(ctx, s, live, rollout), ctx.leases.holder(s.name()).orElse(null)));
    }
    return new ClusterStatus(ctx.cluster.context(), ctx.namespace(), ctx.cluster.server(), rows);
  }

  /** The split in force when more than one release has traffic (a canary's weights), else null. */
  private static String traffic(RunnerContext ctx, ServiceSpec s, ClusterRelease live, ClusterRelease rollout)
      throws KubernetesException {
    if (live == null || rollout == null) {
      return null;
    }
    if (s.strategy() instanceof StrategySpec.Canary) {
      TrafficSplit.Applied a = TrafficSplit.forService(ctx.client(), ctx.objects, s.name()).read(s.name());
      return a.weights().size() > 1 ? a.describe() : null;
    }
    if (s.strategy() instanceof StrategySpec.BlueGreen && s.port() != null) {
      String active = new SelectorSwitch(ctx.client(), ctx.objects).active(s.name());
      return active == null ? null : "Service " + s.name() + " selects " + active;
    }
    return null;
  }

  private static Deployment deployment(RunnerContext ctx, String name) throws KubernetesException {
    try {
      return ctx.client().apps().deployments().inNamespace(ctx.namespace()).withName(name).get();
    } catch (KubernetesClientException e) {
      throw ctx.error(e, "get", "deployments");
    }
  }
}
