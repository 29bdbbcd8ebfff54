package dev.slipway.engine;

import dev.slipway.plan.ReleasePlan;
import dev.slipway.store.Deployment;
import java.util.concurrent.CompletableFuture;

/**
 * One rollout in flight, as the parts that carry it out share it: the {@link RolloutRunner} that walks
 * its plan, the {@link RolloutSteps} that act and the {@link RolloutGuard} that watches. They hand a
 * verdict in here; none of them calls back into the runner.
 */
final class Rollout {
  private final EngineContext ctx;
  final ServiceRuntime s;
  final ReleasePlan plan;
  final ReleaseSet from;
  final ReleaseSet to;
  final RolloutMachine machine;
  /** Completes with the verdict when the rollout must stop early; every wait of the rollout watches it. */
  final CompletableFuture<RolloutFailed> stop = new CompletableFuture<>();
  /** The step being carried out; written only by the {@link RolloutRunner}. */
  volatile int currentStep;

  Rollout(EngineContext ctx, ServiceRuntime s, ReleasePlan plan, ReleaseSet from, ReleaseSet to, RolloutMachine machine) {
    this.ctx = ctx;
    this.s = s;
    this.plan = plan;
    this.from = from;
    this.to = to;
    this.machine = machine;
    this.currentStep = machine.deployment().step();
    RolloutFailed decided = machine.verdict();
    if (decided != null) {
      stop.complete(decided);
    }
  }

  Deployment deployment() {
    return machine.deployment();
  }

  int currentStep() {
    return currentStep;
  }

  /**
   * A verdict against the candidate, from any thread: stored (phase ROLLING_BACK) and then the rollout
   * stops. Ignored when another verdict came first, or when an analysis judges after the promotion began.
   */
  void fail(RolloutFailed f, boolean byAnalysis) {
    if (machine.decide(f, byAnalysis)) {
      stop.complete(machine.verdict());
    }
  }

  /** Throws the verdict once there is one: where a step may stop. */
  void checkStop() throws RolloutFailed {
    RolloutFailed f = stop.getNow(null);
    if (f != null) {
      throw f;
    }
  }

  /** Has the health monitor watch an instance the rollout started. */
  void watch(InstanceRuntime inst) {
    EngineContext.InstanceWatch m = ctx.monitor;
    if (m != null) {
      m.watch(s, inst);
    }
  }
}
