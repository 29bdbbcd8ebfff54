package dev.slipway.engine;

import dev.slipway.plan.ReleaseStep;

/**
 * A deliberate crash for recovery tests: with {@code SLIPWAY_CHAOS_HALT_AT=canary:Pause} (strategy and
 * step kind, {@code *} for any strategy) in its environment, the control plane halts — like
 * {@code kill -9}: no shutdown hooks, nothing stopped — right after persisting that it entered the
 * first such step. Unset, this does nothing.
 */
final class Chaos {
  private static final String SPEC = System.getenv("SLIPWAY_CHAOS_HALT_AT");

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
}
