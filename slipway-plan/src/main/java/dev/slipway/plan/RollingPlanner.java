package dev.slipway.plan;

import dev.slipway.model.StrategyKind;
import dev.slipway.model.StrategySpec;
import dev.slipway.model.TargetCapability;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rolling: replace instances a few at a time — never more than {@code replicas + maxSurge} running,
 * never fewer than {@code replicas - maxUnavailable} ready — with traffic split in proportion to the
 * ready instances of each release. Each new batch must be ready before old ones go.
 */
public final class RollingPlanner implements ReleasePlanner {
  @Override
  public String id() {
    return StrategyKind.ROLLING.id();
  }

  @Override
  public Set<TargetCapability> needs() {
    return Set.of(TargetCapability.WEIGHTED_TRAFFIC);
  }

  @Override
  public ReleasePlan plan(StrategySpec strategy, int replicas, boolean stableRunning) {
    int n = Math.max(1, replicas);
    if (!stableRunning) {
      return new ReleasePlan(id(), Plans.immediate(n));
    }
    StrategySpec.Rolling r = (StrategySpec.Rolling) (strategy instanceof StrategySpec.Rolling ? strategy
        : StrategyKind.ROLLING.defaults());
    int surge = Math.max(0, r.maxSurge());
    int unavailable = Math.max(0, r.maxUnavailable());
    if (surge == 0 && unavailable == 0) {
      surge = 1; // the model rejects this; a hand-built spec still gets a plan that makes progress
    }
    List<ReleaseStep> steps = new ArrayList<>();
    int fresh = 0;
    int old = n;
    while (fresh < n) {
      int removable = Math.min(old, fresh + old - (n - unavailable));
      boolean removed = removable > 0 && fresh + old - removable >= 1;
      if (removed) {
        old -= removable;
        steps.add(new ReleaseStep.Weight(share(fresh, old)));
        steps.add(new ReleaseStep.RetireStable(old));
      }
      int addable = Math.min(n - fresh, n + surge - (fresh + old));
      if (addable > 0) {
        fresh += addable;
        steps.add(new ReleaseStep.Launch(fresh));
        steps.add(new ReleaseStep.AwaitReady());
        if (fresh < n) {
          steps.add(new ReleaseStep.Weight(share(fresh, old)));
        }
      } else if (!removed && surge == 0) {
        // maxSurge 0 with maxUnavailable >= replicas (e.g. one instance): retiring first would leave
        // nothing serving, which a release never does, so it surges by one instead of looping forever.
        surge = 1;
      } else if (!removed) {
        throw new PlanException("rolling update cannot progress with maxSurge " + r.maxSurge()
            + " and maxUnavailable " + r.maxUnavailable());
      }
    }
    steps.addAll(Plans.finish());
    return new ReleasePlan(id(), steps);
  }

  /** Percent of traffic to the candidate when {@code fresh} new and {@code old} stable instances serve. */
  static int share(int fresh, int old) {
    if (fresh + old == 0) {
      return 100;
    }
    return (int) Math.round(100.0 * fresh / (fresh + old));
  }
}
