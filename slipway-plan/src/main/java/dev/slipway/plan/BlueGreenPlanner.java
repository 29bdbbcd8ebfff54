package dev.slipway.plan;

import dev.slipway.model.StrategyKind;
import dev.slipway.model.StrategySpec;
import dev.slipway.model.TargetCapability;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Blue-green: the full candidate set starts beside the stable one, is checked (readiness, then smoke
 * checks pinned to it), takes all traffic in one switch, and the old set stays warm for the
 * rollback window before it is drained and stopped.
 */
public final class BlueGreenPlanner implements ReleasePlanner {
  @Override
  public String id() {
    return StrategyKind.BLUE_GREEN.id();
  }

  @Override
  public Set<TargetCapability> needs() {
    return Set.of(TargetCapability.PINNED_REQUESTS, TargetCapability.WARM_STANDBY);
  }

  @Override
  public ReleasePlan plan(StrategySpec strategy, int replicas, boolean stableRunning) {
    StrategySpec.BlueGreen bg = (StrategySpec.BlueGreen) (strategy instanceof StrategySpec.BlueGreen ? strategy
        : StrategyKind.BLUE_GREEN.defaults());
    List<ReleaseStep> steps = new ArrayList<>();
    steps.add(new ReleaseStep.Launch(Math.max(1, replicas)));
    steps.add(new ReleaseStep.AwaitReady());
    if (!bg.smoke().isEmpty()) {
      steps.add(new ReleaseStep.Smoke(bg.smoke()));
    }
    steps.add(new ReleaseStep.Weight(100));
    steps.add(new ReleaseStep.Promote());
    if (stableRunning && !bg.rollbackWindow().isZero()) {
      steps.add(new ReleaseStep.HoldPrevious(bg.rollbackWindow()));
    }
    steps.add(new ReleaseStep.RetireStable(0));
    return new ReleasePlan(id(), steps);
  }
}
