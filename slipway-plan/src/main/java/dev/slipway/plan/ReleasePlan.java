package dev.slipway.plan;

import dev.slipway.model.TargetCapability;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

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

  /** What this plan's steps need from the target, together. */
  public Set<TargetCapability> needs() {
    Set<TargetCapability> needs = EnumSet.noneOf(TargetCapability.class);
    steps.forEach(step -> needs.addAll(ReleaseStep.needs(step)));
    return needs;
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

  /**
   * Where the promotion begins: the first step of the plan's tail that only moves all traffic to the
   * candidate, makes it the current release, keeps the previous one warm and retires it. The candidate
   * has been judged by then: a control plane that restarts from there completes the promotion, and an
   * analysis no longer sends it back. {@code steps().size()} for a plan without such a tail.
   */
  public int promotionIndex() {
    int i = steps.size();
    while (i > 0 && (steps.get(i - 1) instanceof ReleaseStep.Promote || steps.get(i - 1) instanceof ReleaseStep.HoldPrevious
        || steps.get(i - 1) instanceof ReleaseStep.RetireStable r && r.keep() == 0)) {
      i--;
    }
    if (i > 0 && steps.get(i - 1) instanceof ReleaseStep.Weight w && w.percent() == 100) {
      i--;
    }
    return i;
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
