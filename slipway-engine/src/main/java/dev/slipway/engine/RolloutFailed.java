package dev.slipway.engine;

import dev.slipway.store.DeploymentState;
import java.util.Map;

/**
 * Ends a rollout early: it goes back to the stable release and ends in {@code state} —
 * {@link DeploymentState#ROLLED_BACK} when the candidate failed (or a rollback was asked for),
 * {@link DeploymentState#ABORTED} when it was stopped on request. Whether going back worked decides
 * the rest: when it did not, the deployment ends {@link DeploymentState#FAILED} whatever this says.
 */
final class RolloutFailed extends Exception {
  private static final long serialVersionUID = 1L;
  final DeploymentState state;
  final transient Map<String, Object> measurements;

  RolloutFailed(DeploymentState state, String reason, Map<String, Object> measurements) {
    super(reason);
    this.state = state;
    this.measurements = measurements == null ? Map.of() : measurements;
  }
}
