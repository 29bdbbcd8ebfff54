package dev.slipway.plan;

import java.util.List;

/**
 * The ordered steps that take one service from its stable release to a candidate.
 *
 * @param strategy the planner's id: {@code rolling}, {@code blue-green}, {@code canary}, {@code immediate}
 * @param steps    the steps; the last ones always promote the candidate and retire the stable release
 */
public record ReleasePlan(String strategy, List<ReleaseStep> steps) {
  public ReleasePlan {
    steps = List.copyOf(steps);
  }

  /** The index of the step {@code promote --full} jumps to: the first full weight shift after {@code from}. */
  public int fullPromotionIndex(int from) {
    for (int i = Math.max(0, from); i < steps.size(); i++) {
      if (steps.get(i) instanceof ReleaseStep.Weight w && w.percent() == 100) {
        return i;
      }
    }
    return steps.size();
  }

  /** The index of the {@link ReleaseStep.Promote} step, or -1. */
  public int promoteIndex() {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i) instanceof ReleaseStep.Promote) {
        return i;
      }
    }
    return -1;
  }
}
