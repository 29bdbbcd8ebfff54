package dev.slipway.plan;

import dev.slipway.model.StrategyKind;
import dev.slipway.model.StrategySpec;
import dev.slipway.model.TargetCapability;
import java.util.Set;

/**
 * Turns a strategy into release steps. Pure: no I/O, no clocks. One class per strategy, found by its
 * {@link StrategyKind} in {@link #forKind}.
 */
public interface ReleasePlanner {

  /** The stable id, the strategy's {@link StrategyKind#id()} ({@code immediate} for rollbacks). */
  String id();

  /**
   * Everything this planner's plans may need from a target (each plan's own {@link ReleasePlan#needs()}
   * is a subset): a target must offer these for the strategy to run on it.
   */
  Set<TargetCapability> needs();

  /**
   * @param replicas       instances the service runs
   * @param stableRunning  whether a stable release serves now (the first release has nothing to shift from)
   */
  ReleasePlan plan(StrategySpec strategy, int replicas, boolean stableRunning);

  /** The planner of a registered strategy; a new {@link StrategyKind} does not compile until it has one. */
  static ReleasePlanner forKind(StrategyKind kind) {
    return switch (kind) {
      case ROLLING -> new RollingPlanner();
      case BLUE_GREEN -> new BlueGreenPlanner();
      case CANARY -> new CanaryPlanner();
    };
  }

  /** The planner for {@code strategy}. */
  static ReleasePlanner forStrategy(StrategySpec strategy) {
    return forKind(strategy.kind());
  }

  /**
   * The planner a stored deployment ran with: {@code immediate} (a rollback) or its strategy's.
   *
   * @param plannerId the deployment's recorded strategy id
   */
  static ReleasePlanner forDeployment(String plannerId, StrategySpec strategy) {
    return ImmediatePlanner.ID.equals(plannerId) ? new ImmediatePlanner() : forStrategy(strategy);
  }
}
