package dev.slipway.kubernetes;

import java.util.List;
import java.util.function.Consumer;

/**
 * A {@code kubernetes} environment as the CLI drives it: the same verbs as locally, run by this
 * process against the cluster's API, with the releases, the rollout's phase and the per-service Lease
 * kept in the cluster (decision 0018). Opened by {@link ClusterEnvironments#open}.
 */
public interface ClusterEnvironment extends AutoCloseable {

  /** Deploys one service (the whole application on an environment's first deploy). */
  DeployResult deploy(DeployOrder order) throws KubernetesException;

  /** Ends a paused step of a rollout (a canary pause, a blue-green waiting for promotion). */
  DeployResult promote(String service, boolean waitForEnd) throws KubernetesException;

  /** Rolls the service's rollout back: traffic to stable first (one patch), then the candidate down. */
  DeployResult abort(String service) throws KubernetesException;

  /** Goes back to an earlier release, by default the one before the current one ({@code toRevision} null). */
  DeployResult rollback(String service, Integer toRevision) throws KubernetesException;

  ClusterStatus status() throws KubernetesException;

  /** The service's releases, newest first. */
  List<ClusterRelease> history(String service) throws KubernetesException;

  /** The service's pods' logs, each line prefixed by its pod's name; with {@code follow} until interrupted. */
  void logs(String service, boolean follow, int tailLines, Consumer<String> out) throws KubernetesException;

  /** What {@link #down()} would delete, one line per object ({@code Deployment shop-staging/api-r3}). */
  List<String> downPlan() throws KubernetesException;

  /** Deletes every object Slipway created in the environment's namespace, its release records and Leases. */
  void down() throws KubernetesException;

  @Override
  void close();
}
