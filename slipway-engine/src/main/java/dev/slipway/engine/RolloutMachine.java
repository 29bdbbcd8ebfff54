package dev.slipway.engine;

import dev.slipway.api.EventKind;
import dev.slipway.plan.ReleasePlan;
import dev.slipway.plan.ReleaseStep;
import dev.slipway.store.Deployment;
import dev.slipway.store.DeploymentPhase;
import dev.slipway.store.DeploymentState;
import dev.slipway.store.LeaseLostException;
import dev.slipway.store.StoreException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The persisted state machine of one rollout: its deployment row — state, {@link DeploymentPhase},
 * step, {@link StepState} — and the verdict once one is reached. Every write of the row goes through
 * here, one at a time (under a lock, never a monitor: each write is a store round trip).
 *
 * <p>The rule it keeps is that <b>the intent is persisted before the act</b>: a step's phase is written
 * before the step acts; a rollback's verdict is written before traffic moves back; once a verdict is
 * written no forward step writes or moves traffic again. The first verdict wins and is never decided
 * again, by this control plane or by the next one after a crash (docs/decisions/0012).
 */
final class RolloutMachine {
  /** An act of a forward step: moving traffic, making the candidate current. */
  interface Act {
    void run() throws EngineException, dev.slipway.engine.runtime.TargetException, StoreException;
  }

  private final EngineContext ctx;
  /** Told, with the service, when a write ends the deployment. */
  private final java.util.function.Consumer<String> ended;
  private final ReleasePlan plan;
  private final ReentrantLock lock = new ReentrantLock();
  /** Read by any thread, written by the runner's (under the lock). */
  final StepState state;
  private volatile Deployment deployment;
  private volatile RolloutFailed verdict;

  private volatile java.util.function.Consumer<LeaseLostException> leaseLost = e -> { };

  RolloutMachine(EngineContext ctx, java.util.function.Consumer<String> ended, ReleasePlan plan, Deployment d) {
    this.ctx = ctx;
    this.ended = ended;
    this.plan = plan;
    this.deployment = d;
    this.state = StepState.fromJson(d.stepStateJson());
    if (d.phase() == DeploymentPhase.ROLLING_BACK) {
      // Decided before a restart: the same verdict, from what was stored with it.
      this.verdict = new RolloutFailed(state.verdict == null ? DeploymentState.ROLLED_BACK
          : DeploymentState.valueOf(state.verdict), d.reason(), Map.of());
    }
  }

  /** The phase of step {@code index} of {@code plan}. */
  static DeploymentPhase phaseOf(ReleasePlan plan, int index) {
    boolean promoting = index >= plan.promotionIndex();
    return switch (plan.steps().get(index)) {
      case ReleaseStep.Launch l -> DeploymentPhase.STARTING;
      case ReleaseStep.AwaitReady a -> DeploymentPhase.STARTING;
      case ReleaseStep.Smoke s -> DeploymentPhase.STARTING;
      case ReleaseStep.Weight w -> promoting ? DeploymentPhase.PROMOTING : DeploymentPhase.SHIFTING;
      case ReleaseStep.Pause p -> DeploymentPhase.PAUSING;
      case ReleaseStep.Analyze a -> DeploymentPhase.ANALYSING;
      case ReleaseStep.Promote p -> DeploymentPhase.PROMOTING;
      case ReleaseStep.HoldPrevious h -> DeploymentPhase.HOLDING;
      case ReleaseStep.RetireStable r -> DeploymentPhase.RETIRING;
    };
  }

  /**
   * The deployment as last stored. Taken under the write lock: whoever has seen a write in the store
   * (the API, a test, another command) must not read an older state here afterwards, which a plain
   * read could while the runner is between the store's commit and this field.
   */
  Deployment deployment() {
    lock.lock();
    try {
      return deployment;
    } finally {
      lock.unlock();
    }
  }

  DeploymentPhase phase() {
    return deployment().phase();
  }

  /** The rollback decided, or null while none is. */
  RolloutFailed verdict() {
    return verdict;
  }

  Map<String, Integer> weights() {
    return Map.copyOf(state.weights);
  }

  /** Enters step {@code index}: its phase is stored before it acts. Refused once a rollback is decided. */
  void enter(int index) throws RolloutFailed, StoreException {
    lock.lock();
    try {
      refuseAfterVerdict();
      if (index != deployment.step()) {
        // A promote asked for during an earlier step belongs to that step.
        state.promoteRequested = false;
        state.promoteFull = false;
      }
      write(deployment.withStep(index, state.toJson()).withState(DeploymentState.RUNNING)
          .withPhase(phaseOf(plan, index)).withReason(null));
    } finally {
      lock.unlock();
    }
  }

  /** Stores the step state as it is now (weights applied, instances launched, a pause's end). */
  void save() throws StoreException {
    lock.lock();
    try {
      write(deployment.withStep(deployment.step(), state.toJson()));
    } finally {
      lock.unlock();
    }
  }

  /** The rollout waits for a person (PAUSED, with why), or goes on (RUNNING). Refused once a rollback is decided. */
  void pausedBecause(String reason) throws RolloutFailed, StoreException {
    lock.lock();
    try {
      refuseAfterVerdict();
      Deployment next = deployment.withStep(deployment.step(), state.toJson());
      write(reason == null ? next.withState(DeploymentState.RUNNING).withReason(null)
          : next.withState(DeploymentState.PAUSED).withReason(reason));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code act}, a forward act, then stores the step state — unless a rollback is decided: then
   * nothing is done and the verdict is thrown. Holding the lock meanwhile means a verdict reached during
   * the act is stored after it, and the rollback then undoes it.
   */
  void act(Act act) throws RolloutFailed, EngineException, dev.slipway.engine.runtime.TargetException, StoreException {
    lock.lock();
    try {
      refuseAfterVerdict();
      act.run();
      write(deployment.withStep(deployment.step(), state.toJson()));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Decides to go back, and stores that (phase ROLLING_BACK, the reason, the end state) before anyone
   * acts on it. Refused — returns false — when a rollback is decided already (the first verdict stands),
   * when the deployment has ended, and for an analysis verdict once the promotion has begun (the
   * candidate was judged; a promotion under way completes).
   */
  boolean decide(RolloutFailed f, boolean byAnalysis) {
    lock.lock();
    try {
      if (verdict != null || !deployment.state().active()) {
        return false;
      }
      if (byAnalysis && deployment.step() >= plan.promotionIndex()) {
        return false;
      }
      verdict = f;
      state.verdict = f.state == DeploymentState.ABORTED ? DeploymentState.ABORTED.name()
          : DeploymentState.ROLLED_BACK.name();
      try {
        storeVerdict();
      } catch (LeaseLostException e) {
        // Not ours to decide any more: the control plane that holds the environment now does.
        verdict = null;
        state.verdict = null;
        return false;
      } catch (StoreException e) {
        // The rollback stores it again before it acts; until then the verdict holds in memory.
        ctx.events.emit(EventKind.WARNING, deployment.service(), "could not record the rollback yet: " + e.getMessage());
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Stores the decided verdict unless that is done already. */
  void storeVerdict() throws StoreException {
    lock.lock();
    try {
      if (verdict == null || deployment.phase() == DeploymentPhase.ROLLING_BACK) {
        return;
      }
      Deployment next = deployment.withStep(deployment.step(), state.toJson()).withState(DeploymentState.RUNNING)
          .withPhase(DeploymentPhase.ROLLING_BACK).withReason(verdict.getMessage());
      if (!verdict.measurements.isEmpty()) {
        next = next.withMeasurements(merged(verdict.measurements));
      }
      write(next);
    } finally {
      lock.unlock();
    }
  }

  /** Records a promote (persisted: a restart keeps it); false once a rollback is decided. */
  boolean requestPromotion(boolean full) throws StoreException {
    lock.lock();
    try {
      if (verdict != null || !deployment.state().active()) {
        return false;
      }
      state.promoteRequested = true;
      state.promoteFull |= full;
      write(deployment.withStep(deployment.step(), state.toJson()));
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Whether a promote was asked for during the current step. */
  boolean promotionAsked() {
    lock.lock();
    try {
      return state.promoteRequested;
    } finally {
      lock.unlock();
    }
  }

  /** Takes a promote request of the current step (it ends a pause once). */
  boolean takePromotion() {
    lock.lock();
    try {
      boolean asked = state.promoteRequested;
      state.promoteRequested = false;
      return asked;
    } finally {
      lock.unlock();
    }
  }

  /** Takes a {@code promote --full} request: the caller jumps ahead. */
  boolean takeFullPromotion() {
    lock.lock();
    try {
      boolean asked = state.promoteFull;
      state.promoteFull = false;
      return asked;
    } finally {
      lock.unlock();
    }
  }

  /** Ends the deployment in {@code end} (phase DONE). */
  void end(DeploymentState end, String reason) throws StoreException {
    lock.lock();
    try {
      Deployment next = deployment.withStep(deployment.step(), state.toJson()).withState(end);
      write(reason == null ? next : next.withReason(reason));
    } finally {
      lock.unlock();
    }
  }

  /** Adds {@code m} to the stored measurements: a crash report does not erase the last analysis values. */
  void measurements(Map<String, Object> m) {
    lock.lock();
    try {
      write(deployment.withMeasurements(merged(m)));
    } catch (StoreException e) {
      ctx.events.emit(EventKind.WARNING, deployment.service(), "could not store measurements: " + e.getMessage());
    } finally {
      lock.unlock();
    }
  }

  private String merged(Map<String, Object> m) {
    Map<String, Object> all = new LinkedHashMap<>(Views.measurements(deployment.measurementsJson()));
    all.putAll(m);
    try {
      return ReleaseConfig.JSON.writeValueAsString(all);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void refuseAfterVerdict() throws RolloutFailed {
    RolloutFailed v = verdict;
    if (v != null) {
      throw v;
    }
  }

  /** Told when a write is refused because another control plane holds the environment now. */
  void onLeaseLost(java.util.function.Consumer<LeaseLostException> listener) {
    this.leaseLost = listener;
  }

  private void write(Deployment next) throws StoreException {
    try {
      deployment = ctx.store.update(next);
    } catch (LeaseLostException e) {
      leaseLost.accept(e);
      throw e;
    }
    if (!next.state().active()) {
      ended.accept(next.service());
    }
  }
}
