package dev.slipway.plan;

import dev.slipway.model.StrategySpec;
import dev.slipway.model.TargetCapability;
import java.util.Set;

/**
 * Start the candidate, switch all traffic once it is ready, stop the old release. Used for
 * {@code slipway rollback} (the release rolled back to was already proven) and for a first release.
 */
public final class ImmediatePlanner implements ReleasePlanner {
  /** Not a {@link dev.slipway.model.StrategyKind}: users never choose it, rollbacks use it. */
  public static final String ID = "immediate";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Set<TargetCapability> needs() {
    return Set.of();
  }

  @Override
  public ReleasePlan plan(StrategySpec strategy, int replicas, boolean stableRunning) {
    return new ReleasePlan(id(), Plans.immediate(replicas));
  }
}
