package dev.slipway.engine;

import dev.slipway.api.EventKind;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.engine.runtime.Traffic;
import dev.slipway.model.CanaryStep;
import dev.slipway.plan.ReleaseStep;
import dev.slipway.store.DeploymentPhase;
import dev.slipway.store.DeploymentState;
import dev.slipway.store.StoreException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What each kind of step does, for one rollout: start and check the candidate, move weights, pause,
 * analyse, promote, keep the previous release warm, drain and stop instances. Every act that moves
 * traffic or makes the candidate current goes through the rollout's {@link RolloutMachine}, so none
 * happens after a verdict; every wait watches the rollout's stop.
 */
final class RolloutSteps {
  private final EngineContext ctx;
  private final Rollout rollout;
  private final ServiceRuntime s;
  private final ReleaseSet from;
  private final ReleaseSet to;
  private final RolloutMachine machine;

  RolloutSteps(EngineContext ctx, Rollout rollout) {
    this.ctx = ctx;
    this.rollout = rollout;
    this.s = rollout.s;
    this.from = rollout.from;
    this.to = rollout.to;
    this.machine = rollout.machine;
  }

  void execute(ReleaseStep step) throws RolloutFailed, EngineException, TargetException, StoreException {
    switch (step) {
      case ReleaseStep.Launch l -> {
        s.candidate = to;
        // The count first: a control plane that restarts meanwhile takes over what was started.
        if (l.count() > machine.state.launched) {
          machine.state.launched = l.count();
          machine.save();
        }
        for (int i = 1; i <= l.count(); i++) {
          rollout.watch(ctx.launcher.ensure(s, to, i));
        }
        refreshRoutes();
      }
      case ReleaseStep.AwaitReady a -> {
        try {
          Readiness.await(ctx, s, to, rollout.stop);
        } catch (EngineException e) {
          // A crash loop is reported the same way whether the guard or this wait saw it first.
          InstanceRuntime crashed = to.live().stream().filter(InstanceRuntime::crashLooping).findFirst().orElse(null);
          if (crashed == null) {
            throw e;
          }
          throw crashed.crashReport(ctx.masker).failure();
        }
        rollout.checkStop();
        refreshRoutes();
      }
      case ReleaseStep.Smoke smoke -> smoke(smoke);
      case ReleaseStep.Weight w -> {
        setWeight(w.percent());
        if (machine.phase() == DeploymentPhase.PROMOTING) {
          ctx.chaos.at("promoting");
        }
      }
      case ReleaseStep.RetireStable r -> retire(from, r.keep());
      case ReleaseStep.Pause p -> pause(p.duration());
      case ReleaseStep.Analyze a -> analyze(a.limits());
      case ReleaseStep.Promote p -> {
        machine.act(() -> {
          ctx.store.setCurrentRelease(ctx.environment, s.spec.name(), to.id());
          machine.state.promoted = true;
        });
        ctx.chaos.at("promoted");
      }
      case ReleaseStep.HoldPrevious h -> hold(h.window());
    }
  }

  private void setWeight(int percent) throws RolloutFailed, EngineException, TargetException, StoreException {
    Map<String, Integer> w = new LinkedHashMap<>();
    if (from != null && percent < 100) {
      w.put(from.id(), 100 - percent);
    }
    w.put(to.id(), percent);
    machine.act(() -> route(w));
    recordWeights();
  }

  void route(Map<String, Integer> w) throws TargetException {
    if (ctx.routing != null) {
      ctx.routing.apply(s, w);
    } else {
      Routing.unrouted(s, w);
    }
    machine.state.weights = new LinkedHashMap<>(w);
  }

  void recordWeights() {
    ctx.record(EventKind.ROLLOUT_STEP, s.spec.name(), rollout.deployment().id(), "weights " + ServiceRoutes.describe(s.weights),
        Map.of("weights", s.weights));
  }

  void refreshRoutes() throws TargetException {
    if (ctx.routing != null) {
      ctx.routing.refresh(s);
    }
  }

  /** Drains instances of {@code set} beyond {@code keep}, waits for their requests, stops them. */
  void retire(ReleaseSet set, int keep) throws TargetException {
    if (set == null) {
      return;
    }
    Set<InstanceRuntime> going = set.live().stream().filter(i -> i.index > keep).collect(Collectors.toSet());
    if (going.isEmpty()) {
      return;
    }
    going.forEach(i -> i.draining = true);
    refreshRoutes();
    ctx.chaos.at("draining");
    if (ctx.routing != null) {
      ctx.routing.awaitDrained(s, going.stream().map(i -> i.id).collect(Collectors.toSet()),
          Traffic.Route.DEFAULT_DRAIN_TIMEOUT);
    }
    going.forEach(ctx.launcher::stop);
    set.instances.removeAll(going);
    refreshRoutes();
  }

  private void smoke(ReleaseStep.Smoke smoke) throws RolloutFailed, TargetException {
    if (ctx.routing == null || !s.routed()) {
      return;
    }
    for (var check : smoke.checks()) {
      int status;
      try {
        status = ctx.routing.traffic().get(s.spec.name(), to.id(), check.path(), Duration.ofSeconds(10));
      } catch (java.io.IOException e) {
        throw new RolloutFailed(DeploymentState.ROLLED_BACK, "smoke check `" + check.name() + "`: GET "
            + check.path() + " failed: " + e.getMessage(), Map.of());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RolloutFailed(DeploymentState.ABORTED, "interrupted", Map.of());
      }
      if (status != check.expect()) {
        throw new RolloutFailed(DeploymentState.ROLLED_BACK, "smoke check `" + check.name() + "`: GET "
            + check.path() + " answered " + status + ", expected " + check.expect(), Map.of());
      }
      ctx.record(EventKind.ROLLOUT_STEP, s.spec.name(), rollout.deployment().id(), "smoke check `" + check.name()
          + "` passed (GET " + check.path() + " → " + status + ")", Map.of());
    }
  }

  private void pause(Duration d) throws RolloutFailed, StoreException {
    if (d == null) {
      machine.pausedBecause("paused until `slipway promote " + s.spec.name() + "`");
      ctx.record(EventKind.ROLLOUT_PAUSED, s.spec.name(), rollout.deployment().id(), s.spec.name()
          + " paused: continue with `slipway promote " + s.spec.name() + "`", Map.of());
      waitUntil(Long.MAX_VALUE);
      machine.pausedBecause(null);
      return;
    }
    if (machine.state.pauseUntil == 0) {
      machine.state.pauseUntil = ctx.clock.now().plus(d).toEpochMilli();
      machine.save();
    }
    waitUntil(machine.state.pauseUntil);
    machine.state.pauseUntil = 0;
  }

  /** Waits until the given time or a promote, whichever first; a stop ends the wait with its failure. */
  private void waitUntil(long epochMillis) throws RolloutFailed {
    while (ctx.clock.now().toEpochMilli() < epochMillis && !machine.promotionAsked()) {
      rollout.checkStop();
      ctx.clock.pause(Duration.ofMillis(100));
    }
    machine.takePromotion();
    rollout.checkStop();
  }

  private void hold(Duration window) throws RolloutFailed, StoreException {
    if (machine.state.pauseUntil == 0) {
      machine.state.pauseUntil = ctx.clock.now().plus(window).toEpochMilli();
      machine.save();
    }
    ctx.record(EventKind.ROLLOUT_STEP, s.spec.name(), rollout.deployment().id(), from == null ? "nothing to keep warm"
        : from.id() + " stays warm until " + java.time.Instant.ofEpochMilli(machine.state.pauseUntil)
            + ": `slipway rollback " + s.spec.name() + "` switches back at once", from == null ? Map.of()
            : Map.of("warmUntil", java.time.Instant.ofEpochMilli(machine.state.pauseUntil).toString(), "warm", from.id(),
                "warmVersion", from.version(), "live", to.id(), "liveVersion", to.version()));
    waitUntil(machine.state.pauseUntil);
    machine.state.pauseUntil = 0;
  }

  private void analyze(CanaryStep.Analysis limits) throws RolloutFailed, EngineException, StoreException {
    Analyst.Window window = new WarmWindow(ctx.analyst, s.spec.name(), from == null ? null : from.id(), to.id(),
        limits, s.candidateTrafficSince, ctx.clock);
    long deadline = ctx.clock.deadline(limits.timeout());
    long lastReport = 0;
    while (true) {
      rollout.checkStop();
      Analyst.Verdict v = window.evaluate();
      if (ctx.clock.nanoTime() - lastReport > 1_000_000_000L || !"inconclusive".equals(v.outcome())) {
        ctx.record(EventKind.ANALYSIS, s.spec.name(), rollout.deployment().id(), v.line("analysis step"),
            Map.of("verdict", v.outcome(), "measurements", v.measurements()));
        machine.measurements(v.measurements());
        lastReport = ctx.clock.nanoTime();
      }
      if (v.passed()) {
        return;
      }
      if (v.failed()) {
        RolloutFailed f = new RolloutFailed(DeploymentState.ROLLED_BACK, "analysis failed: " + v.reason(),
            v.measurements());
        rollout.fail(f, true);
        rollout.checkStop();
        // Not reached: an analysis step always comes before the promotion, so its verdict always stands.
        return;
      }
      if (ctx.clock.past(deadline)) {
        String why = "analysis inconclusive after " + Durations.format(limits.timeout()) + ": " + v.reason();
        machine.pausedBecause(why);
        ctx.record(EventKind.ROLLOUT_PAUSED, s.spec.name(), rollout.deployment().id(), s.spec.name() + " paused — " + why
            + "; `slipway promote " + s.spec.name() + "` to continue or `slipway abort " + s.spec.name() + "`",
            Map.of("measurements", v.measurements()));
        waitUntil(Long.MAX_VALUE);
        machine.pausedBecause(null);
        return;
      }
      ctx.clock.pause(Duration.ofMillis(250));
    }
  }
}
