package dev.slipway.kubernetes;

import java.util.ArrayList;
import java.util.List;

/**
 * A deliberate stop of the runner, for the crash-and-resume tests: at the first point {@code SLIPWAY_CHAOS}
 * names ({@code point:NAME}, several separated by commas), the runner halts like {@code kill -9}: no
 * further write, the Lease neither renewed nor released (it expires), traffic left as it is. Points:
 * {@code step:STRATEGY:PHASE} right after the record says a step of that phase began
 * ({@code step:canary:pausing}; {@code *} for any strategy), {@code rolling-back} (traffic is back on
 * stable, the candidate still runs), {@code promoting} (all traffic on the candidate, not yet recorded
 * live). Unset, this does nothing.
 */
final class RunnerChaos {
  static final RunnerChaos NONE = new RunnerChaos(List.of(), where -> { });

  /** Stops the runner where it is; must not return (the CLI halts the JVM, tests throw {@link Halted}). */
  interface Halt {
    void now(String where);
  }

  /** What a test's halt throws: not an exception any code catches on the way out. */
  static final class Halted extends Error {
    Halted(String where) {
      super("runner halted at " + where);
    }
  }

  private final List<String> points;
  private final Halt halt;

  RunnerChaos(List<String> points, Halt halt) {
    this.points = List.copyOf(points);
    this.halt = halt;
  }

  /** From {@code SLIPWAY_CHAOS}: the JVM halts with status 137 at the named point. */
  static RunnerChaos fromEnvironment() {
    String spec = System.getenv("SLIPWAY_CHAOS");
    if (spec == null || spec.isBlank()) {
      return NONE;
    }
    List<String> points = new ArrayList<>();
    for (String p : spec.split(",")) {
      if (p.strip().startsWith("point:")) {
        points.add(p.strip().substring("point:".length()));
      }
    }
    return new RunnerChaos(points, where -> {
      System.err.println("slipway: SLIPWAY_CHAOS halts the runner at " + where);
      Runtime.getRuntime().halt(137);
    });
  }

  /** A test's chaos: throws {@link Halted} at the first of {@code points} reached. */
  static RunnerChaos throwing(String... points) {
    return new RunnerChaos(List.of(points), where -> {
      throw new Halted(where);
    });
  }

  void at(String point) {
    if (points.contains(point)) {
      halt.now(point);
    }
  }

  /** After the record says a step of {@code phase} began in a rollout of {@code strategy}. */
  void step(String strategy, String phase) {
    at("step:" + strategy + ":" + phase);
    at("step:*:" + phase);
  }
}
