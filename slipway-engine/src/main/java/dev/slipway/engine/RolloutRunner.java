package dev.slipway.engine;

import dev.slipway.api.EventKind;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.plan.ReleasePlan;
import dev.slipway.plan.ReleaseStep;
import dev.slipway.store.Deployment;
import dev.slipway.store.DeploymentPhase;
import dev.slipway.store.DeploymentState;
import dev.slipway.store.LeaseLostException;
import dev.slipway.store.StoreException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Runs one deployment's plan, step by step, through its {@link RolloutMachine}, so a restarted control
 * plane continues it where it was. A failure at any point — a step, the background guard, an abort — is
 * a verdict: stored first, then traffic goes back to the stable release, the candidate is stopped and
 * the deployment records why.
 */
final class RolloutRunner {
  private final EngineContext ctx;
  /** Told when the runner has stopped, so whoever keeps the runners forgets this one. */
  private final java.util.function.Consumer<RolloutRunner> finished;
  /** What this runner shares with its steps and guard; it alone moves the current step. */
  private final Rollout rollout;
  final ServiceRuntime s;
  final ReleasePlan plan;
  final ReleaseSet from;
  final ReleaseSet to;
  final RolloutMachine machine;
  private final RolloutGuard guard;
  private final RolloutSteps steps;
  /** Completes with the verdict when the rollout must stop early; the runner's waits watch it. */
  final CompletableFuture<RolloutFailed> stop;
  private volatile boolean halted;
  /** Halted without a word to the store: this control plane stopped acting on the environment. */
  private volatile boolean detached;
  private volatile boolean leaseLostSaid;
  /** Set when a restarted control plane took the rollout over: its first step may find instances missing. */
  private volatile boolean resumed;

  /**
   * @param ended    told when a deployment of the service has ended in the store
   * @param finished told when this runner has stopped
   */
  RolloutRunner(EngineContext ctx, java.util.function.Consumer<String> ended,
      java.util.function.Consumer<RolloutRunner> finished, ServiceRuntime s, Deployment d, ReleasePlan plan,
      ReleaseSet from, ReleaseSet to) {
    this.ctx = ctx;
    this.finished = finished;
    this.s = s;
    this.plan = plan;
    this.from = from;
    this.to = to;
    this.machine = new RolloutMachine(ctx, ended, plan, d);
    machine.onLeaseLost(this::leaseLost);
    this.rollout = new Rollout(ctx, s, plan, from, to, machine);
    this.stop = rollout.stop;
    this.guard = new RolloutGuard(ctx, rollout);
    this.steps = new RolloutSteps(ctx, rollout);
  }

  Deployment deployment() {
    return machine.deployment();
  }

  int currentStep() {
    return rollout.currentStep;
  }

  /** The weights the router applies to this service now (not those asked for: a release may have no ready instance). */
  Map<String, Integer> weights() {
    return Map.copyOf(s.weights);
  }

  /** While the previous release is kept warm after the switch (a blue-green rollback window): until when; else null. */
  Instant warmUntil() {
    long until = machine.state.pauseUntil;
    int step = rollout.currentStep;
    return from != null && until > 0 && step < plan.steps().size()
        && plan.steps().get(step) instanceof ReleaseStep.HoldPrevious ? Instant.ofEpochMilli(until) : null;
  }

  /** A promote, stored before it is answered; false when the rollout is rolling back already. */
  boolean promote(boolean full) throws StoreException {
    return machine.requestPromotion(full);
  }

  /** Ends the rollout where it is, without touching routes or instances (the stack is going down). */
  void halt(String reason) {
    halted = true;
    stop.complete(new RolloutFailed(DeploymentState.ABORTED, reason, Map.of()));
  }

  /**
   * Stops the rollout where it is and writes nothing: routes, instances and the stored deployment
   * stay as they are, for the control plane that takes over next to continue.
   */
  void detach(String reason) {
    detached = true;
    halt(reason);
  }

  /** A write was refused: another control plane owns the environment, so this one leaves the rollout as it is. */
  private void leaseLost(LeaseLostException e) {
    if (!detached) {
      detached = true;
      leaseLostSaid = true;
      ctx.events.emit(EventKind.WARNING, s.spec.name(), "the rollout of " + to.id() + " stopped at step "
          + (rollout.currentStep + 1) + ", left as it is: " + e.getMessage());
      halt(e.getMessage());
    }
  }

  /** An abort or rollback asked for by a person: stored as the verdict before this returns. */
  void abort(String reason, DeploymentState endState) {
    fail(new RolloutFailed(endState, reason, Map.of()), false);
  }

  /**
   * A verdict against the candidate, from any thread: stored (phase ROLLING_BACK) and then the rollout
   * stops. Ignored when another verdict came first, or when an analysis judges after the promotion began.
   */
  private void fail(RolloutFailed f, boolean byAnalysis) {
    rollout.fail(f, byAnalysis);
  }

  /** Reattaches to what a previous control plane had started for this rollout, before resuming it. */
  void restore() throws TargetException {
    resumed = true;
    s.candidate = to;
    for (int i = 1; i <= machine.state.launched; i++) {
      if (ctx.launcher.wasAdopted(to.instanceId(i))) {
        watch(ctx.launcher.ensure(s, to, i));
      }
    }
    if (machine.phase() == DeploymentPhase.ROLLING_BACK) {
      // The verdict stands: no forward weight is applied again, not even for a moment.
      if (from != null && ctx.routing != null && !from.live().isEmpty()) {
        ctx.routing.apply(s, Map.of(from.id(), 100));
      }
      return;
    }
    if (from != null) {
      // The stable instances this point of the plan still has: a rolling update retired some, and
      // once the final retirement began none is started again.
      for (int i = 1; i <= stableKept(); i++) {
        watch(ctx.launcher.ensure(s, from, i));
      }
    }
    if (ctx.routing != null && !machine.state.weights.isEmpty()) {
      ctx.routing.apply(s, machine.state.weights);
    }
  }

  /** How many stable instances the plan keeps up to the current step. */
  private int stableKept() {
    int keep = Math.max(1, s.spec.replicas());
    for (int i = 0; i <= rollout.currentStep && i < plan.steps().size(); i++) {
      if (plan.steps().get(i) instanceof ReleaseStep.RetireStable r) {
        keep = Math.min(keep, r.keep());
      }
    }
    return keep;
  }

  void run() {
    Thread.currentThread().setName("rollout-" + s.spec.name());
    try {
      if (machine.verdict() != null) {
        // Taken over while rolling back: finish that, whatever the plan had left.
        rollBack();
        return;
      }
      guard.start();
      for (int i = machine.deployment().step(); i < plan.steps().size(); i++) {
        if (machine.takeFullPromotion()) {
          int jump = plan.fullPromotionIndex(i);
          if (jump > i) {
            ctx.record(EventKind.ROLLOUT_STEP, s.spec.name(), deployment().id(), "promoting fully: skipping to "
                + plan.steps().get(Math.min(jump, plan.steps().size() - 1)).describe(), Map.of());
            i = jump;
            if (i >= plan.steps().size()) {
              break;
            }
          }
        }
        rollout.currentStep = i;
        ReleaseStep step = plan.steps().get(i);
        machine.enter(i);
        ctx.record(EventKind.ROLLOUT_STEP, s.spec.name(), deployment().id(), "step " + (i + 1) + "/"
            + plan.steps().size() + ": " + step.describe(), Map.of("step", i, "weights", weights(),
            "phase", Views.phase(machine.phase())));
        guard.beginStep(step);
        ctx.chaos.step(plan.strategy(), step);
        if (resumed) {
          resumed = false;
          catchUp(step);
        }
        steps.execute(step);
        checkStop();
      }
      finish();
    } catch (RolloutFailed f) {
      if (detached && leaseLostSaid) {
        // Said when the refused write was met.
      } else if (detached) {
        ctx.events.emit(EventKind.WARNING, s.spec.name(), "the rollout of " + to.id() + " stopped at step "
            + (rollout.currentStep + 1) + " without a change: " + f.getMessage());
      } else if (halted) {
        try {
          machine.end(DeploymentState.ABORTED, f.getMessage());
        } catch (StoreException e) {
          ctx.events.emit(EventKind.WARNING, s.spec.name(), "could not record the end of the rollout: " + e.getMessage());
        }
      } else {
        failAndRollBack(f);
      }
    } catch (EngineException e) {
      failAndRollBack(new RolloutFailed(DeploymentState.ROLLED_BACK, e.getMessage(),
          e.details().isEmpty() ? Map.of() : Map.of("log", e.details())));
    } catch (LeaseLostException e) {
      // Another control plane owns the environment now: rolling back would act for it.
      leaseLost(e);
    } catch (TargetException | StoreException e) {
      failAndRollBack(new RolloutFailed(DeploymentState.ROLLED_BACK, e.getMessage(), Map.of()));
    } catch (RuntimeException e) {
      failAndRollBack(new RolloutFailed(DeploymentState.ROLLED_BACK, "unexpected error: " + e, Map.of()));
    } finally {
      guard.stop();
      finished.accept(this);
    }
  }

  /** The first verdict stands: this one only if none came before (then it rolls back that one). */
  private void failAndRollBack(RolloutFailed f) {
    fail(f, false);
    if (machine.verdict() != null) {
      rollBack();
    }
  }

  /**
   * After a take-over, candidate instances that died while no control plane ran are started again
   * before the plan goes on past its start (its own launch and readiness steps do that themselves).
   */
  private void catchUp(ReleaseStep step) throws TargetException, EngineException, RolloutFailed {
    if (ReleaseStep.bringsUpCandidates(step)
        || machine.phase() == DeploymentPhase.RETIRING && rollout.currentStep >= plan.promotionIndex()) {
      return;
    }
    boolean started = false;
    for (int i = 1; i <= machine.state.launched; i++) {
      int index = i;
      if (to.live().stream().noneMatch(inst -> inst.index == index)) {
        watch(ctx.launcher.ensure(s, to, i));
        started = true;
      }
    }
    if (started) {
      Readiness.await(ctx, s, to, stop);
      checkStop();
      steps.refreshRoutes();
    }
  }

  private void checkStop() throws RolloutFailed {
    rollout.checkStop();
  }

  private void watch(InstanceRuntime inst) {
    rollout.watch(inst);
  }

  private void finish() throws StoreException {
    s.stable = to;
    s.candidate = null;
    machine.end(DeploymentState.SUCCEEDED, null);
    ctx.record(EventKind.ROLLOUT_SUCCEEDED, s.spec.name(), deployment().id(), s.spec.name() + " " + to.id() + " ("
        + to.version() + ") is live", Map.of("state", Views.state(DeploymentState.SUCCEEDED), "release", to.id(),
        "version", to.version()));
  }

  /**
   * Carries out the stored verdict: all traffic back to the stable release (restarting instances a
   * rolling update retired), the candidate drained and stopped, the previous release current again.
   * Every act is safe to repeat, so a control plane that restarts midway runs it again from the top.
   */
  private void rollBack() {
    RolloutFailed f = machine.verdict();
    long t0 = ctx.clock.nanoTime();
    guard.stop();
    try {
      machine.storeVerdict();
      ctx.record(EventKind.ROLLOUT_STEP, s.spec.name(), deployment().id(), "rolling back to "
          + (from == null ? "nothing" : from.id()) + ": " + f.getMessage(),
          Map.of("phase", Views.phase(DeploymentPhase.ROLLING_BACK)));
      if (from != null) {
        s.stable = from;
        if (from.live().stream().filter(i -> !i.draining).count() < Math.max(1, s.spec.replicas())) {
          for (int i = 1; i <= Math.max(1, s.spec.replicas()); i++) {
            watch(ctx.launcher.ensure(s, from, i));
          }
          from.live().forEach(i -> i.draining = false);
          Readiness.await(ctx, s, from, new CompletableFuture<>());
        }
      }
      if (ctx.routing != null) {
        // The verdict is final: no later write, however stale its view, can route to the candidate again.
        ctx.routing.withdraw(s, to);
      }
      if (from != null) {
        steps.route(Map.of(from.id(), 100));
        machine.save();
        steps.recordWeights();
      }
      double rollbackSeconds = (ctx.clock.nanoTime() - t0) / 1e9;
      ctx.chaos.at("rolling-back");
      steps.retire(to, 0);
      s.candidate = null;
      if (from != null && machine.state.promoted) {
        ctx.store.setCurrentRelease(ctx.environment, s.spec.name(), from.id());
      }
      DeploymentState end = f.state == DeploymentState.ABORTED ? DeploymentState.ABORTED : DeploymentState.ROLLED_BACK;
      machine.end(end, f.getMessage());
      String kind = end == DeploymentState.ABORTED ? EventKind.ROLLOUT_ABORTED : EventKind.ROLLOUT_ROLLED_BACK;
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("state", Views.state(end));
      details.put("reason", f.getMessage());
      details.put("measurements", f.measurements);
      details.put("rollbackSeconds", rollbackSeconds);
      ctx.record(kind, s.spec.name(), deployment().id(), s.spec.name() + " "
          + (end == DeploymentState.ABORTED ? "aborted" : "rolled back") + " to "
          + (from == null ? "nothing" : from.id()) + ": " + f.getMessage(), details);
    } catch (EngineException | TargetException | StoreException | RuntimeException e) {
      String reason = f.getMessage() + "; rollback failed: " + e.getMessage();
      try {
        machine.end(DeploymentState.FAILED, reason);
      } catch (StoreException ignored) {
        // Reported by the event below.
      }
      // Always a terminal event, so that whoever follows the rollout learns that it ended.
      ctx.record(EventKind.ROLLOUT_FAILED, s.spec.name(), deployment().id(), "rolling back " + s.spec.name()
          + " failed: " + e.getMessage() + "; check `slipway status`",
          Map.of("state", Views.state(DeploymentState.FAILED), "reason", reason));
    }
  }
}
