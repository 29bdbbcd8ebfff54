package dev.slipway.engine;

import dev.slipway.api.EventKind;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.CanaryStep;
import dev.slipway.plan.ReleasePlan;
import dev.slipway.plan.ReleaseStep;
import dev.slipway.store.Deployment;
import dev.slipway.store.DeploymentState;
import dev.slipway.store.StoreException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Runs one deployment's plan, step by step, persisting where it is so a restarted control plane can
 * pick it up. A failure at any point — a step, the background guard, an abort — sends traffic back to
 * the stable release, stops the candidate and records why.
 */
final class RolloutRunner {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final EngineContext ctx;
  private final ReleaseEngine engine;
  final ServiceRuntime s;
  final ReleasePlan plan;
  final ReleaseSet from;
  final ReleaseSet to;
  private final StepState state;
  private final RolloutGuard guard;
  private volatile Deployment deployment;
  /** Completes when the rollout must stop early; the runner's waits watch it. */
  final CompletableFuture<RolloutFailed> stop = new CompletableFuture<>();
  private volatile boolean promoteRequested;
  private volatile boolean fullRequested;
  private volatile int currentStep;
  private volatile boolean halted;

  RolloutRunner(EngineContext ctx, ReleaseEngine engine, ServiceRuntime s, Deployment d, ReleasePlan plan,
      ReleaseSet from, ReleaseSet to) {
    this.ctx = ctx;
    this.engine = engine;
    this.s = s;
    this.deployment = d;
    this.plan = plan;
    this.from = from;
    this.to = to;
    this.state = StepState.fromJson(d.stepStateJson());
    this.guard = new RolloutGuard(ctx, this);
  }

  Deployment deployment() {
    return deployment;
  }

  int currentStep() {
    return currentStep;
  }

  /** The weights the router applies to this service now (not those asked for: a release may have no ready instance). */
  Map<String, Integer> weights() {
    return Map.copyOf(s.weights);
  }

  /** While the previous release is kept warm after the switch (a blue-green rollback window): until when; else null. */
  Instant warmUntil() {
    long until = state.pauseUntil;
    int step = currentStep;
    return from != null && until > 0 && step < plan.steps().size()
        && plan.steps().get(step) instanceof ReleaseStep.HoldPrevious ? Instant.ofEpochMilli(until) : null;
  }

  void promote(boolean full) {
    fullRequested |= full;
    promoteRequested = true;
  }

  /** Ends the rollout where it is, without touching routes or instances (the stack is going down). */
  void halt(String reason) {
    halted = true;
    stop.complete(new RolloutFailed(DeploymentState.ABORTED, reason, Map.of()));
  }

  void abort(String reason, DeploymentState endState) {
    stop.complete(new RolloutFailed(endState, reason, Map.of()));
  }

  /** Reattaches to what a previous control plane had started for this rollout, before resuming. */
  void restore() throws TargetException {
    s.candidate = to;
    for (int i = 1; i <= state.launched; i++) {
      if (ctx.launcher.wasAdopted(to.instanceId(i))) {
        watch(ctx.launcher.ensure(s, to, i));
      }
    }
    if (ctx.routing != null && !state.weights.isEmpty()) {
      ctx.routing.apply(s, state.weights);
    }
  }

  void run() {
    Thread.currentThread().setName("rollout-" + s.spec.name());
    guard.start();
    try {
      for (int i = deployment.step(); i < plan.steps().size(); i++) {
        if (fullRequested) {
          int jump = plan.fullPromotionIndex(i);
          if (jump > i) {
            ctx.record(EventKind.ROLLOUT_STEP, s.spec.name(), deployment.id(), "promoting fully: skipping to "
                + plan.steps().get(Math.min(jump, plan.steps().size() - 1)).describe(), Map.of());
            i = jump;
            if (i >= plan.steps().size()) {
              break;
            }
          }
          fullRequested = false;
        }
        currentStep = i;
        ReleaseStep step = plan.steps().get(i);
        // A promote asked for before this step began belongs to an earlier one.
        promoteRequested = false;
        persist(i, DeploymentState.RUNNING, null);
        ctx.record(EventKind.ROLLOUT_STEP, s.spec.name(), deployment.id(), "step " + (i + 1) + "/"
            + plan.steps().size() + ": " + step.describe(), Map.of("step", i, "weights", state.weights));
        guard.beginStep(step);
        Chaos.maybeHalt(plan.strategy(), step);
        execute(step);
        checkStop();
      }
      finish();
    } catch (RolloutFailed f) {
      if (halted) {
        try {
          persist(currentStep, DeploymentState.ABORTED, f.getMessage());
        } catch (StoreException e) {
          ctx.events.emit(EventKind.WARNING, s.spec.name(), "could not record the end of the rollout: " + e.getMessage());
        }
      } else {
        rollBack(f);
      }
    } catch (EngineException e) {
      rollBack(new RolloutFailed(DeploymentState.ROLLED_BACK, e.getMessage(),
          e.details().isEmpty() ? Map.of() : Map.of("log", e.details())));
    } catch (TargetException | StoreException e) {
      rollBack(new RolloutFailed(DeploymentState.ROLLED_BACK, e.getMessage(), Map.of()));
    } catch (RuntimeException e) {
      rollBack(new RolloutFailed(DeploymentState.ROLLED_BACK, "unexpected error: " + e, Map.of()));
    } finally {
      guard.stop();
      engine.finished(this);
    }
  }

  private void execute(ReleaseStep step) throws RolloutFailed, EngineException, TargetException, StoreException {
    switch (step) {
      case ReleaseStep.Launch l -> {
        s.candidate = to;
        for (int i = 1; i <= l.count(); i++) {
          watch(ctx.launcher.ensure(s, to, i));
        }
        state.launched = Math.max(state.launched, l.count());
        persist(currentStep, DeploymentState.RUNNING, null);
        refreshRoutes();
      }
      case ReleaseStep.AwaitReady a -> {
        try {
          Readiness.await(ctx, s, to, stop);
        } catch (EngineException e) {
          // A crash loop is reported the same way whether the guard or this wait saw it first.
          InstanceRuntime crashed = to.live().stream().filter(StackRunner::crashLooping).findFirst().orElse(null);
          if (crashed == null) {
            throw e;
          }
          throw CrashReport.of(ctx, crashed).failure();
        }
        checkStop();
        refreshRoutes();
      }
      case ReleaseStep.Smoke smoke -> smoke(smoke);
      case ReleaseStep.Weight w -> setWeight(w.percent());
      case ReleaseStep.RetireStable r -> retire(from, r.keep());
      case ReleaseStep.Pause p -> pause(p.duration());
      case ReleaseStep.Analyze a -> analyze(a.limits());
      case ReleaseStep.Promote p -> {
        ctx.store.setCurrentRelease(ctx.environment, s.spec.name(), to.id());
        state.promoted = true;
        persist(currentStep, DeploymentState.RUNNING, null);
      }
      case ReleaseStep.HoldPrevious h -> hold(h.window());
    }
  }

  private void setWeight(int percent) throws TargetException, StoreException {
    Map<String, Integer> w = new LinkedHashMap<>();
    if (from != null && percent < 100) {
      w.put(from.id(), 100 - percent);
    }
    w.put(to.id(), percent);
    applyWeights(w);
  }

  void applyWeights(Map<String, Integer> w) throws TargetException, StoreException {
    if (ctx.routing != null) {
      ctx.routing.apply(s, w);
    } else {
      s.weights = Map.copyOf(w);
    }
    state.weights = new LinkedHashMap<>(w);
    persist(currentStep, DeploymentState.RUNNING, null);
    ctx.record(EventKind.ROLLOUT_STEP, s.spec.name(), deployment.id(), "weights " + describe(s.weights),
        Map.of("weights", s.weights));
  }

  private void refreshRoutes() throws TargetException {
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
    if (ctx.routing != null) {
      ctx.routing.awaitDrained(s, going.stream().map(i -> i.id).collect(Collectors.toSet()), Routing.DRAIN_TIMEOUT);
    }
    for (InstanceRuntime i : going) {
      i.retired = true;
      i.ready = false;
      if (i.handle != null) {
        i.handle.stop(ctx.settings.stopGrace());
      }
    }
    set.instances.removeAll(going);
    refreshRoutes();
  }

  private void smoke(ReleaseStep.Smoke smoke) throws RolloutFailed {
    if (s.frontPort == 0) {
      return;
    }
    for (var check : smoke.checks()) {
      String url = "http://127.0.0.1:" + s.frontPort + check.path();
      int status;
      try {
        status = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
            .header("X-Slipway-Version", to.id()).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
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
      ctx.record(EventKind.ROLLOUT_STEP, s.spec.name(), deployment.id(), "smoke check `" + check.name()
          + "` passed (GET " + check.path() + " → " + status + ")", Map.of());
    }
  }

  private void pause(Duration d) throws RolloutFailed, StoreException {
    if (d == null) {
      persist(currentStep, DeploymentState.PAUSED, "paused until `slipway promote " + s.spec.name() + "`");
      ctx.record(EventKind.ROLLOUT_PAUSED, s.spec.name(), deployment.id(), s.spec.name()
          + " paused: continue with `slipway promote " + s.spec.name() + "`", Map.of());
      waitUntil(Long.MAX_VALUE);
      persist(currentStep, DeploymentState.RUNNING, null);
      return;
    }
    if (state.pauseUntil == 0) {
      state.pauseUntil = Instant.now().plus(d).toEpochMilli();
      persist(currentStep, DeploymentState.RUNNING, null);
    }
    waitUntil(state.pauseUntil);
    state.pauseUntil = 0;
  }

  /** Waits until the given time or a promote, whichever first; a stop ends the wait with its failure. */
  private void waitUntil(long epochMillis) throws RolloutFailed {
    while (System.currentTimeMillis() < epochMillis && !promoteRequested) {
      checkStop();
      ctx.sleep(Duration.ofMillis(100));
    }
    promoteRequested = false;
    checkStop();
  }

  private void hold(Duration window) throws RolloutFailed, StoreException {
    if (state.pauseUntil == 0) {
      state.pauseUntil = Instant.now().plus(window).toEpochMilli();
      persist(currentStep, DeploymentState.RUNNING, null);
    }
    ctx.record(EventKind.ROLLOUT_STEP, s.spec.name(), deployment.id(), from == null ? "nothing to keep warm"
        : from.id() + " stays warm until " + Instant.ofEpochMilli(state.pauseUntil)
            + ": `slipway rollback " + s.spec.name() + "` switches back at once", from == null ? Map.of()
            : Map.of("warmUntil", Instant.ofEpochMilli(state.pauseUntil).toString(), "warm", from.id(),
                "warmVersion", from.version(), "live", to.id(), "liveVersion", to.version()));
    waitUntil(state.pauseUntil);
    state.pauseUntil = 0;
  }

  private void analyze(CanaryStep.Analysis limits) throws RolloutFailed, EngineException, StoreException {
    Analyst.Window window = new WarmWindow(engine.analyst(), s.spec.name(), from == null ? null : from.id(), to.id(),
        limits, s.candidateTrafficSince);
    long deadline = System.nanoTime() + limits.timeout().toNanos();
    long lastReport = 0;
    while (true) {
      checkStop();
      Analyst.Verdict v = window.evaluate();
      if (System.nanoTime() - lastReport > 1_000_000_000L || !"inconclusive".equals(v.outcome())) {
        ctx.record(EventKind.ANALYSIS, s.spec.name(), deployment.id(), v.line("analysis step"),
            Map.of("verdict", v.outcome(), "measurements", v.measurements()));
        measurements(v.measurements());
        lastReport = System.nanoTime();
      }
      if (v.passed()) {
        return;
      }
      if (v.failed()) {
        throw new RolloutFailed(DeploymentState.ROLLED_BACK, "analysis failed: " + v.reason(), v.measurements());
      }
      if (System.nanoTime() > deadline) {
        String why = "analysis inconclusive after " + Durations.format(limits.timeout()) + ": " + v.reason();
        persist(currentStep, DeploymentState.PAUSED, why);
        ctx.record(EventKind.ROLLOUT_PAUSED, s.spec.name(), deployment.id(), s.spec.name() + " paused — " + why
            + "; `slipway promote " + s.spec.name() + "` to continue or `slipway abort " + s.spec.name() + "`",
            Map.of("measurements", v.measurements()));
        waitUntil(Long.MAX_VALUE);
        persist(currentStep, DeploymentState.RUNNING, null);
        return;
      }
      ctx.sleep(Duration.ofMillis(250));
    }
  }

  void checkStop() throws RolloutFailed {
    RolloutFailed f = stop.getNow(null);
    if (f != null) {
      throw f;
    }
  }

  void watch(InstanceRuntime inst) {
    HealthMonitor m = ctx.monitor;
    if (m != null) {
      m.watch(s, inst);
    }
  }

  private void finish() throws StoreException {
    s.stable = to;
    s.candidate = null;
    persist(currentStep, DeploymentState.SUCCEEDED, null);
    ctx.record(EventKind.ROLLOUT_SUCCEEDED, s.spec.name(), deployment.id(), s.spec.name() + " " + to.id() + " ("
        + to.version() + ") is live", Map.of("state", Views.state(DeploymentState.SUCCEEDED), "release", to.id(),
        "version", to.version()));
  }

  /** Back to the stable release: all traffic to it (restarting instances a rolling update retired), candidate stopped. */
  private void rollBack(RolloutFailed f) {
    long t0 = System.nanoTime();
    guard.stop();
    try {
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
        applyWeights(Map.of(from.id(), 100));
      }
      double rollbackSeconds = (System.nanoTime() - t0) / 1e9;
      retire(to, 0);
      s.candidate = null;
      if (from != null && state.promoted) {
        ctx.store.setCurrentRelease(ctx.environment, s.spec.name(), from.id());
      }
      if (!f.measurements.isEmpty()) {
        measurements(f.measurements);
      }
      DeploymentState end = f.state == DeploymentState.ABORTED ? DeploymentState.ABORTED : DeploymentState.ROLLED_BACK;
      persist(currentStep, end, f.getMessage());
      String kind = end == DeploymentState.ABORTED ? EventKind.ROLLOUT_ABORTED : EventKind.ROLLOUT_ROLLED_BACK;
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("state", Views.state(end));
      details.put("reason", f.getMessage());
      details.put("measurements", f.measurements);
      details.put("rollbackSeconds", rollbackSeconds);
      ctx.record(kind, s.spec.name(), deployment.id(), s.spec.name() + " "
          + (end == DeploymentState.ABORTED ? "aborted" : "rolled back") + " to "
          + (from == null ? "nothing" : from.id()) + ": " + f.getMessage(), details);
    } catch (EngineException | TargetException | StoreException | RuntimeException e) {
      String reason = f.getMessage() + "; rollback failed: " + e.getMessage();
      try {
        persist(currentStep, DeploymentState.FAILED, reason);
      } catch (StoreException ignored) {
        // Reported by the event below.
      }
      // Always a terminal event, so that whoever follows the rollout learns that it ended.
      ctx.record(EventKind.ROLLOUT_FAILED, s.spec.name(), deployment.id(), "rolling back " + s.spec.name()
          + " failed: " + e.getMessage() + "; check `slipway status`",
          Map.of("state", Views.state(DeploymentState.FAILED), "reason", reason));
    }
  }

  /** Adds {@code m} to the stored measurements: a crash report does not erase the last analysis values. */
  private void measurements(Map<String, Object> m) {
    try {
      Map<String, Object> all = new LinkedHashMap<>(Views.measurements(deployment.measurementsJson()));
      all.putAll(m);
      deployment = ctx.store.update(deployment.withMeasurements(ReleaseConfig.JSON.writeValueAsString(all)));
    } catch (StoreException | com.fasterxml.jackson.core.JsonProcessingException e) {
      ctx.events.emit(EventKind.WARNING, s.spec.name(), "could not store measurements: " + e.getMessage());
    }
  }

  private synchronized void persist(int step, DeploymentState st, String reason) throws StoreException {
    Deployment next = deployment.withStep(step, state.toJson()).withState(st);
    if (reason != null || st == DeploymentState.RUNNING) {
      next = next.withReason(reason);
    }
    deployment = ctx.store.update(next);
    if (!st.active()) {
      engine.ended(s.spec.name());
    }
  }

  static String describe(Map<String, Integer> weights) {
    return ServiceRoutes.describe(weights);
  }
}
