package dev.slipway.plan;

import dev.slipway.model.CanaryStep;
import dev.slipway.model.StrategyKind;
import dev.slipway.model.StrategySpec;
import dev.slipway.model.TargetCapability;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Canary: the candidate set starts with no traffic, then follows the model's steps ({@code setWeight},
 * {@code pause}, {@code analysis}); afterwards all traffic moves to it and the stable set is retired.
 */
public final class CanaryPlanner implements ReleasePlanner {
  @Override
  public String id() {
    return StrategyKind.CANARY.id();
  }

  @Override
  public Set<TargetCapability> needs() {
    return Set.of(TargetCapability.WEIGHTED_TRAFFIC, TargetCapability.RELEASE_METRICS);
  }

  @Override
  public ReleasePlan plan(StrategySpec strategy, int replicas, boolean stableRunning) {
    if (!stableRunning) {
      return new ReleasePlan(id(), Plans.immediate(replicas));
    }
    List<CanaryStep> modelSteps = ((StrategySpec.Canary) (strategy instanceof StrategySpec.Canary ? strategy
        : StrategyKind.CANARY.defaults())).steps();
    List<ReleaseStep> steps = new ArrayList<>();
    steps.add(new ReleaseStep.Launch(Math.max(1, replicas)));
    steps.add(new ReleaseStep.AwaitReady());
    for (CanaryStep step : modelSteps) {
      steps.add(switch (step) {
        case CanaryStep.SetWeight w -> new ReleaseStep.Weight(w.weight());
        case CanaryStep.Pause p -> new ReleaseStep.Pause(p.duration());
        case CanaryStep.Analysis a -> new ReleaseStep.Analyze(a);
      });
    }
    steps.addAll(Plans.finish());
    return new ReleasePlan(id(), steps);
  }
}
