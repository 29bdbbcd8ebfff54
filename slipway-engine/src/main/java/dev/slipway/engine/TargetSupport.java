package dev.slipway.engine;

import dev.slipway.engine.runtime.Target;
import dev.slipway.model.StrategyKind;
import dev.slipway.model.TargetCapability;
import dev.slipway.plan.ReleasePlan;
import dev.slipway.plan.ReleasePlanner;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses a release whose plan needs something the target cannot do, before anything is built or
 * started, naming the strategies the target can run instead.
 */
final class TargetSupport {
  private TargetSupport() {}

  static void require(Target target, String service, ReleasePlanner planner, ReleasePlan plan) throws EngineException {
    Set<TargetCapability> missing = EnumSet.noneOf(TargetCapability.class);
    missing.addAll(plan.needs());
    missing.removeAll(target.capabilities());
    if (missing.isEmpty()) {
      return;
    }
    List<String> runnable = Arrays.stream(StrategyKind.values())
        .filter(k -> target.capabilities().containsAll(ReleasePlanner.forKind(k).needs())).map(StrategyKind::id).toList();
    throw new EngineException(service, "the " + target.id() + " target cannot run this " + planner.id() + " release of "
        + service + ": it has no " + String.join(", ", missing.stream().map(TargetSupport::label).toList()),
        runnable.isEmpty() ? "run it on a target that has them" : "deploy with --strategy " + String.join(" or ", runnable),
        List.of()).as(EngineException.Kind.INVALID);
  }

  /** "weighted traffic": how a capability reads in a message. */
  static String label(TargetCapability c) {
    return c.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
