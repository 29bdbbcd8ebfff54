package dev.slipway.plan;

import dev.slipway.model.CanaryStep;
import dev.slipway.model.StrategySpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Canary: the candidate set starts with no traffic, then follows the model's steps ({@code setWeight},
 * {@code pause}, {@code analysis}); afterwards all traffic moves to it and the stable set is retired.
 */
public final class CanaryPlanner implements ReleasePlanner {
  @Override
  public String id() {
    return "canary";
  }

  @Override
  public ReleasePlan plan(StrategySpec strategy, int replicas, boolean stableRunning) {
    if (!stableRunning) {
      return new ReleasePlan(id(), Plans.immediate(replicas));
    }
    List<CanaryStep> modelSteps = strategy instanceof StrategySpec.Canary c ? c.steps() : defaultSteps();
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

  /** For {@code deploy --strategy canary} on a service whose model names another strategy. */
  static List<CanaryStep> defaultSteps() {
    return List.of(new CanaryStep.SetWeight(10), new CanaryStep.Analysis(0.01, null, null,
        CanaryStep.Analysis.DEFAULT_MIN_REQUESTS, CanaryStep.Analysis.DEFAULT_TIMEOUT), new CanaryStep.SetWeight(50),
        new CanaryStep.Analysis(0.01, null, null, CanaryStep.Analysis.DEFAULT_MIN_REQUESTS,
            CanaryStep.Analysis.DEFAULT_TIMEOUT));
  }
}
