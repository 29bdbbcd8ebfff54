package dev.slipway.plan;

import dev.slipway.model.StrategySpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Blue-green: the full candidate set starts beside the stable one, is checked (readiness, then smoke
 * checks pinned to it), takes all traffic in one switch, and the old set stays warm for the
 * rollback window before it is drained and stopped.
 */
public final class BlueGreenPlanner implements ReleasePlanner {
  @Override
  public String id() {
    return "blue-green";
  }

  @Override
  public ReleasePlan plan(StrategySpec strategy, int replicas, boolean stableRunning) {
    StrategySpec.BlueGreen bg = strategy instanceof StrategySpec.BlueGreen b ? b
        : new StrategySpec.BlueGreen(StrategySpec.BlueGreen.DEFAULT_ROLLBACK_WINDOW, List.of());
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
