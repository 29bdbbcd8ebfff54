package dev.slipway.plan;

import dev.slipway.model.StrategySpec;

/**
 * Start the candidate, switch all traffic once it is ready, stop the old release. Used for
 * {@code slipway rollback} (the release rolled back to was already proven) and for a first release.
 */
public final class ImmediatePlanner implements ReleasePlanner {
  @Override
  public String id() {
    return "immediate";
  }

  @Override
  public ReleasePlan plan(StrategySpec strategy, int replicas, boolean stableRunning) {
    return new ReleasePlan(id(), Plans.immediate(replicas));
  }
}
