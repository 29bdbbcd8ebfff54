package dev.slipway.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Pieces every planner shares. */
final class Plans {
  private Plans() {}

  /** Start everything, wait, shift all traffic, promote, retire the old: the plan with nothing to compare. */
  static List<ReleaseStep> immediate(int replicas) {
    List<ReleaseStep> steps = new ArrayList<>();
    steps.add(new ReleaseStep.Launch(Math.max(1, replicas)));
    steps.add(new ReleaseStep.AwaitReady());
    steps.addAll(finish());
    return steps;
  }

  /** All traffic to the candidate, promote it, stop the stable release. */
  static List<ReleaseStep> finish() {
    return List.of(new ReleaseStep.Weight(100), new ReleaseStep.Promote(), new ReleaseStep.RetireStable(0));
  }

  static String format(Duration d) {
    long s = d.toSeconds();
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    if (s % 3600 == 0 && s > 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0 && s > 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
