package dev.slipway.plan;

import dev.slipway.model.CanaryStep;
import dev.slipway.model.StrategySpec;
import dev.slipway.model.TargetCapability;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One step of a release plan. The engine runs them in order, persisting which one it is on, so every
 * step must be safe to run again after a control-plane restart (they describe a desired state, not
 * an action: "3 candidate instances", "10% to the candidate").
 */
public sealed interface ReleaseStep {

  /** A short label for progress output and history. */
  String describe();

  /**
   * What running {@code step} needs from a target. Exhaustive over the step types: a new step does
   * not compile until it says what it needs.
   */
  static Set<TargetCapability> needs(ReleaseStep step) {
    return switch (step) {
      case Launch l -> Set.of();
      case AwaitReady a -> Set.of();
      case Smoke s -> Set.of(TargetCapability.PINNED_REQUESTS);
      case Weight w -> w.percent() > 0 && w.percent() < 100 ? Set.of(TargetCapability.WEIGHTED_TRAFFIC) : Set.of();
      case RetireStable r -> Set.of();
      case Pause p -> Set.of();
      case Analyze a -> Set.of(TargetCapability.RELEASE_METRICS);
      case Promote p -> Set.of();
      case HoldPrevious h -> Set.of(TargetCapability.WARM_STANDBY);
    };
  }

  /**
   * Whether waiting is what {@code step} is for (a pause, an analysis, the warm window): such steps end
   * by their own clocks, so no progress deadline applies to them.
   */
  static boolean waits(ReleaseStep step) {
    return switch (step) {
      case Pause p -> true;
      case Analyze a -> true;
      case HoldPrevious h -> true;
      case Launch l -> false;
      case AwaitReady a -> false;
      case Smoke s -> false;
      case Weight w -> false;
      case RetireStable r -> false;
      case Promote p -> false;
    };
  }

  /** Whether {@code step} itself starts candidate instances or waits for them to be ready. */
  static boolean bringsUpCandidates(ReleaseStep step) {
    return switch (step) {
      case Launch l -> true;
      case AwaitReady a -> true;
      case Smoke s -> false;
      case Weight w -> false;
      case RetireStable r -> false;
      case Pause p -> false;
      case Analyze a -> false;
      case Promote p -> false;
      case HoldPrevious h -> false;
    };
  }

  /** Ensure instances 1..count of the candidate release run (started, not necessarily ready). */
  record Launch(int count) implements ReleaseStep {
    @Override
    public String describe() {
      return "start " + count + " candidate instance" + (count == 1 ? "" : "s");
    }
  }

  /** Wait until every candidate instance started so far is ready (within its startup timeout). */
  record AwaitReady() implements ReleaseStep {
    @Override
    public String describe() {
      return "wait for candidate readiness";
    }
  }

  /** HTTP checks against the candidate only (pinned by version through the router). */
  record Smoke(List<StrategySpec.SmokeCheck> checks) implements ReleaseStep {
    public Smoke {
      checks = List.copyOf(checks);
    }

    @Override
    public String describe() {
      return "smoke checks (" + checks.size() + ")";
    }
  }

  /** Send {@code percent} of unpinned traffic to the candidate, the rest to the stable release. */
  record Weight(int percent) implements ReleaseStep {
    @Override
    public String describe() {
      return "set weight " + percent + "%";
    }
  }

  /** Drain and stop stable instances beyond the first {@code keep}. */
  record RetireStable(int keep) implements ReleaseStep {
    @Override
    public String describe() {
      return keep == 0 ? "drain and stop the stable release" : "drain stable down to " + keep + " instance"
          + (keep == 1 ? "" : "s");
    }
  }

  /** Wait; {@code duration == null} waits for {@code slipway promote}. */
  record Pause(Duration duration) implements ReleaseStep {
    @Override
    public String describe() {
      return duration == null ? "pause until promoted" : "pause " + Plans.format(duration);
    }
  }

  /** Compare candidate with stable until a verdict (pass continues, fail rolls back). */
  record Analyze(CanaryStep.Analysis limits) implements ReleaseStep {
    @Override
    public String describe() {
      return "analysis";
    }
  }

  /** The candidate becomes the current release (what rollback returns from). */
  record Promote() implements ReleaseStep {
    @Override
    public String describe() {
      return "promote candidate to stable";
    }
  }

  /** Keep the previous release warm so a rollback is an instant switch (blue-green). */
  record HoldPrevious(Duration window) implements ReleaseStep {
    @Override
    public String describe() {
      return "keep previous release warm for " + Plans.format(window);
    }
  }
}
