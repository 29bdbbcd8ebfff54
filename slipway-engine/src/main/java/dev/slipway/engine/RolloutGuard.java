package dev.slipway.engine;

import dev.slipway.api.EventKind;
import dev.slipway.model.CanaryStep;
import dev.slipway.plan.ReleaseStep;
import dev.slipway.store.DeploymentState;
import java.time.Duration;
import java.util.Map;

/**
 * Watches a rollout in the background and stops it at once when the candidate misbehaves: a crash
 * loop, lost readiness, a step past its progress deadline, or — whenever the candidate takes traffic
 * and the plan analyses it — a verdict of failure. Evaluates every 250 ms as data arrives instead of
 * waiting for the next analysis step, so a bad canary is caught in seconds.
 */
final class RolloutGuard {
  static final Duration TICK = Duration.ofMillis(250);
  static final Duration PROGRESS_DEADLINE = Duration.ofMinutes(10);
  static final Duration UNHEALTHY_GRACE = Duration.ofSeconds(10);
  private final EngineContext ctx;
  /** The rollout it guards. */
  private final Rollout runner;
  private final CanaryStep.Analysis limits;
  private volatile Thread thread;
  /**
   * Set by {@link #stop}. The loop must not test {@code thread} for this: the new thread may run
   * before {@code start} has stored it, see null and end at once, leaving the rollout unguarded.
   */
  private volatile boolean stopped;
  private volatile long stepStarted;
  private volatile boolean timedStep;
  private Analyst.Window window;
  private long lastReport;
  private final Map<InstanceRuntime, Long> notReadySince = new java.util.concurrent.ConcurrentHashMap<>();

  RolloutGuard(EngineContext ctx, Rollout runner) {
    this.ctx = ctx;
    this.runner = runner;
    this.limits = runner.plan.steps().stream().<CanaryStep.Analysis>mapMulti((st, out) -> {
      if (st instanceof ReleaseStep.Analyze a) {
        out.accept(a.limits());
      }
    }).findFirst().orElse(null);
    this.stepStarted = ctx.clock.nanoTime();
  }

  void start() {
    thread = ctx.clock.start("guard-" + runner.s.spec.name(), this::loop);
  }

  void stop() {
    stopped = true;
    Thread t = thread;
    thread = null;
    if (t != null && t != Thread.currentThread()) {
      t.interrupt();
    }
  }

  void beginStep(ReleaseStep step) {
    stepStarted = ctx.clock.nanoTime();
    timedStep = !ReleaseStep.waits(step);
  }

  private void loop() {
    while (!stopped && !runner.stop.isDone()) {
      try {
        check();
        ctx.clock.sleep(TICK);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException | EngineException e) {
        ctx.events.emit(EventKind.WARNING, runner.s.spec.name(), "rollout guard: " + e.getMessage());
        try {
          ctx.clock.sleep(Duration.ofSeconds(1));
        } catch (InterruptedException stopped) {
          return;
        }
      }
    }
  }

  private void check() throws EngineException {
    for (InstanceRuntime i : runner.to.live()) {
      if (i.crashLooping()) {
        runner.fail(i.crashReport(ctx.masker).failure(), false);
        return;
      }
      if (i.ready || i.handle == null) {
        notReadySince.remove(i);
      } else if ((ctx.routing == null ? runner.s.weights : ctx.routing.intended(runner.s))
          .getOrDefault(runner.to.id(), 0) > 0) {
        long since = notReadySince.computeIfAbsent(i, k -> ctx.clock.nanoTime());
        if (ctx.clock.nanoTime() - since > UNHEALTHY_GRACE.toNanos()) {
          fail(DeploymentState.ROLLED_BACK, "candidate " + i.id + " has not been ready for "
              + Durations.format(UNHEALTHY_GRACE) + " (" + i.detail + ")", Map.of(), false);
          return;
        }
      }
    }
    ServiceRoutes.RotationLoss lost = ctx.routing == null ? null : ctx.routing.rotationLoss(runner.s, runner.to);
    if (lost != null) {
      fail(DeploymentState.ROLLED_BACK, lost.describe(), Map.of(), false);
      return;
    }
    if (timedStep && ctx.clock.nanoTime() - stepStarted > PROGRESS_DEADLINE.toNanos()) {
      fail(DeploymentState.ROLLED_BACK, "progress deadline exceeded: step " + (runner.currentStep() + 1) + " took longer than "
          + Durations.format(PROGRESS_DEADLINE), Map.of(), false);
      return;
    }
    analyse();
  }

  private void analyse() throws EngineException {
    boolean canaryTakesTraffic = runner.from != null && limits != null
        && runner.s.weights.getOrDefault(runner.to.id(), 0) > 0
        && runner.s.weights.getOrDefault(runner.from.id(), 0) > 0;
    if (!canaryTakesTraffic) {
      return;
    }
    if (window == null) {
      window = new WarmWindow(ctx.releasesAnalyst(), runner.s.spec.name(), runner.from.id(), runner.to.id(), limits,
          runner.s.candidateTrafficSince, ctx.clock);
    }
    Analyst.Verdict v = window.evaluate();
    if (v.failed()) {
      fail(DeploymentState.ROLLED_BACK, "analysis failed: " + v.reason(), v.measurements(), true);
      return;
    }
    if (ctx.clock.nanoTime() - lastReport > 1_000_000_000L) {
      lastReport = ctx.clock.nanoTime();
      ctx.events.emit(EventKind.ANALYSIS, runner.s.spec.name(), v.line("background analysis"),
          Map.of("verdict", v.outcome(), "measurements", v.measurements()));
    }
  }

  private void fail(DeploymentState state, String reason, Map<String, Object> measurements, boolean byAnalysis) {
    runner.fail(new RolloutFailed(state, reason, measurements), byAnalysis);
  }
}
