package dev.slipway.engine;

import dev.slipway.store.DeploymentState;
import java.util.Map;

/** Ends a rollout early: it goes back to the stable release and ends in {@code state}. */
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
