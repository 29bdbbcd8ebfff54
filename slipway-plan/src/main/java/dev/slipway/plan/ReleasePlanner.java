package dev.slipway.plan;

import dev.slipway.model.StrategySpec;

/**
 * Turns a strategy into release steps. Pure: no I/O, no clocks. One class per strategy.
 */
public interface ReleasePlanner {

  /** The stable id, also the CLI's {@code --strategy} value. */
  String id();

  /**
   * @param replicas       instances the service runs
   * @param stableRunning  whether a stable release serves now (the first release has nothing to shift from)
   */
  ReleasePlan plan(StrategySpec strategy, int replicas, boolean stableRunning);

  /** The planner for {@code strategy}. */
  static ReleasePlanner forStrategy(StrategySpec strategy) {
    return switch (strategy) {
      case StrategySpec.Rolling r -> new RollingPlanner();
      case StrategySpec.BlueGreen b -> new BlueGreenPlanner();
      case StrategySpec.Canary c -> new CanaryPlanner();
    };
  }
}
