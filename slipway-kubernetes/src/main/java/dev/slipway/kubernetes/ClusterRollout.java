package dev.slipway.kubernetes;

import dev.slipway.model.StrategySpec;

/**
 * One strategy's way of taking a service from its live release to a new one on a cluster, one class per
 * strategy: {@link RollingClusterRollout} (the Deployment's own rolling update),
 * {@link BlueGreenClusterRollout} (a second Deployment, one selector switch) and
 * {@link CanaryClusterRollout} (a second Deployment, traffic weights, analysis). A rollout runs from the
 * step its record names, so the same call starts it, resumes it after a crash, and continues it after a
 * promote.
 */
sealed interface ClusterRollout permits RollingClusterRollout, ReleaseSetRollout {

  /**
   * Runs from the record's step to the end, or to a step only a person ends (a pause until promote, an
   * inconclusive analysis) when {@code waitForEnd} is false, or to the end of a blue-green switch.
   *
   * @param skipCurrent end the current pause or inconclusive analysis first (a promote)
   */
  DeployResult run(boolean waitForEnd, boolean skipCurrent) throws KubernetesException, InterruptedException;

  /** Takes the service back to its previous release: traffic first (one patch), then the candidate down. */
  DeployResult rollBack(String reason) throws KubernetesException, InterruptedException;

  /** The rollout for {@code strategy}. */
  static ClusterRollout of(StrategySpec strategy, RunnerContext ctx, RolloutRecord record, ClusterRelease previous) {
    return switch (strategy) {
      case StrategySpec.Rolling r -> new RollingClusterRollout(ctx, record, previous, r);
      case StrategySpec.BlueGreen b -> new BlueGreenClusterRollout(ctx, record, previous, b);
      case StrategySpec.Canary c -> new CanaryClusterRollout(ctx, record, previous, c);
    };
  }

  /** {@code api r3}: how progress lines and messages name a release. */
  static String label(ClusterRelease r) {
    return r.service() + " " + r.id();
  }
}
