package dev.slipway.engine;

import dev.slipway.engine.runtime.TargetException;
import dev.slipway.plan.ReleaseStep;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deliberate crash, for recovery tests: the control plane halts — like {@code kill -9}: no shutdown
 * hooks, nothing stopped, no further write — at the first point that {@code SLIPWAY_CHAOS} names
 * (several are separated by commas):
 *
 * <ul>
 *   <li>{@code write:K} right after the K-th store write of a rollout, counting from the write that
 *       starts it (event-log appends are not counted: recovery never reads them);</li>
 *   <li>{@code point:NAME} inside a step: {@code draining} (instances left rotation, before they are
 *       stopped), {@code rolling-back} (traffic is back on the stable release, the candidate still runs),
 *       {@code promoting} (all traffic is on the candidate, which is not current yet), {@code promoted}
 *       (it is current, the previous release still runs);</li>
 *   <li>{@code step:STRATEGY:KIND} right after persisting that the rollout entered the first step of
 *       that kind ({@code *} for any strategy); {@code SLIPWAY_CHAOS_HALT_AT=STRATEGY:KIND} says the
 *       same.</li>
 * </ul>
 *
 * Unset, this does nothing. The engine's tests halt an engine in the same way, by a {@link Halt} that
 * stops its threads instead of the JVM.
 */
final class Chaos {
  private static final String FAIL_RECOVERY = System.getenv("SLIPWAY_CHAOS_FAIL_RECOVERY");
  /** No chaos. */
  static final Chaos NONE = new Chaos(List.of(), where -> { });

  /** Stops the control plane where it is; must not return (tests throw, the control plane halts the JVM). */
  interface Halt {
    void now(String where);
  }

  private final List<String> points;
  private final Halt halt;
  private final AtomicInteger writes = new AtomicInteger();
  private volatile boolean armed;
  private volatile String halted;

  Chaos(List<String> points, Halt halt) {
    this.points = List.copyOf(points);
    this.halt = halt;
  }

  /** From {@code SLIPWAY_CHAOS} and {@code SLIPWAY_CHAOS_HALT_AT}; {@link #NONE} when neither is set. */
  static Chaos fromEnvironment() {
    List<String> points = new ArrayList<>();
    String spec = System.getenv("SLIPWAY_CHAOS");
    if (spec != null) {
      for (String p : spec.split(",")) {
        if (!p.isBlank()) {
          points.add(p.strip());
        }
      }
    }
    String old = System.getenv("SLIPWAY_CHAOS_HALT_AT");
    if (old != null && !old.isBlank()) {
      points.add("step:" + (old.contains(":") ? old : "*:" + old));
    }
    return points.isEmpty() ? NONE : new Chaos(points, where -> {
      System.out.println("chaos: halting at " + where);
      System.out.flush();
      Runtime.getRuntime().halt(137);
    });
  }

  boolean active() {
    return !points.isEmpty();
  }

  /** After a store write; {@code startsRollout} for the write that starts a deployment (it arms the count). */
  void wrote(String what, boolean startsRollout) {
    if (points.isEmpty()) {
      return;
    }
    if (startsRollout) {
      armed = true;
    }
    if (!armed) {
      return;
    }
    int k = writes.incrementAndGet();
    if (points.contains("write:" + k)) {
      stop("write:" + k + " (" + what + ")");
    }
  }

  /** A named point inside a step. */
  void at(String point) {
    if (points.contains("point:" + point)) {
      stop("point:" + point);
    }
  }

  /** Right after the rollout persisted that it entered {@code step}. */
  void step(String strategy, ReleaseStep step) {
    if (points.isEmpty()) {
      return;
    }
    String kind = step.getClass().getSimpleName();
    if (points.contains("step:" + strategy + ":" + kind) || points.contains("step:*:" + kind)) {
      stop("step:" + strategy + ":" + kind);
    }
  }

  /** With {@code SLIPWAY_CHAOS_FAIL_RECOVERY} set, a take-over fails here. */
  static void maybeFailRecovery() throws TargetException {
    if (FAIL_RECOVERY != null && !FAIL_RECOVERY.isBlank()) {
      throw new TargetException(null, "chaos: resuming the rollouts failed (SLIPWAY_CHAOS_FAIL_RECOVERY)", null,
          List.of());
    }
  }

  /** The writes counted so far. */
  int writes() {
    return writes.get();
  }

  /** Whether a rollout has started, from when writes are counted. */
  boolean armed() {
    return armed;
  }

  /** Halts here and now (the engine's tests halt their engine at their own points this way). */
  void halt(String where) {
    stop(where);
  }

  /** Refuses every call once halted: nothing a halted control plane does may reach the store or a target. */
  void checkAlive() {
    String h = halted;
    if (h != null) {
      halt.now(h);
    }
  }

  private void stop(String where) {
    halted = where;
    halt.now(where);
  }
}
