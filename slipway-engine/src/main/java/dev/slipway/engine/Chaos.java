package dev.slipway.engine;

import dev.slipway.engine.runtime.TargetException;
import dev.slipway.plan.ReleaseStep;
import java.util.List;

/**
 * A deliberate crash for recovery tests: with {@code SLIPWAY_CHAOS_HALT_AT=canary:Pause} (strategy and
 * step kind, {@code *} for any strategy) in its environment, the control plane halts — like
 * {@code kill -9}: no shutdown hooks, nothing stopped — right after persisting that it entered the
 * first such step. With {@code SLIPWAY_CHAOS_FAIL_RECOVERY=1}, taking over rollouts after a
 * restart fails, as a store or router that answers wrongly would make it. Unset, this does nothing.
 */
final class Chaos {
  private static final String SPEC = System.getenv("SLIPWAY_CHAOS_HALT_AT");
  private static final String FAIL_RECOVERY = System.getenv("SLIPWAY_CHAOS_FAIL_RECOVERY");

  private Chaos() {}

  static void maybeHalt(String strategy, ReleaseStep step) {
    if (SPEC == null || SPEC.isBlank()) {
      return;
    }
    String kind = step.getClass().getSimpleName();
    int colon = SPEC.indexOf(':');
    String wantStrategy = colon < 0 ? "*" : SPEC.substring(0, colon);
    String wantStep = colon < 0 ? SPEC : SPEC.substring(colon + 1);
    if ((wantStrategy.equals("*") || wantStrategy.equals(strategy)) && wantStep.equals(kind)) {
      System.out.println("chaos: halting at " + strategy + ":" + kind);
      System.out.flush();
      Runtime.getRuntime().halt(137);
    }
  }

  static void maybeFailRecovery() throws TargetException {
    if (FAIL_RECOVERY != null && !FAIL_RECOVERY.isBlank()) {
      throw new TargetException(null, "chaos: resuming the rollouts failed (SLIPWAY_CHAOS_FAIL_RECOVERY)", null,
          List.of());
    }
  }
}
