package dev.slipway.engine;

import dev.slipway.engine.runtime.Probe;
import dev.slipway.engine.runtime.ProcessState;
import dev.slipway.model.ServiceSpec;
import java.time.Duration;

/**
 * Decides whether one instance is ready: its readiness endpoint answers 2xx; without one, its port
 * accepts connections; without a port either, its process has stayed up for a moment.
 */
final class Readiness {
  private static final Duration SETTLE = Duration.ofMillis(300);
  private final ServiceSpec spec;
  private final EngineClock clock;

  Readiness(ServiceSpec spec, EngineClock clock) {
    this.spec = spec;
    this.clock = clock;
  }

  /**
   * Waits until every live instance of {@code set} is ready, within the service's startup timeout;
   * fails at once when one crash-loops. Returns early (without error) when {@code cancel} completes.
   */
  static void await(EngineContext ctx, ServiceRuntime s, ReleaseSet set, java.util.concurrent.CompletableFuture<?> cancel)
      throws EngineException {
    Duration timeout = s.spec.health().startupTimeout();
    long deadline = ctx.clock.deadline(timeout);
    Readiness readiness = new Readiness(s.spec, ctx.clock);
    while (!cancel.isDone()) {
      for (InstanceRuntime inst : set.live()) {
        if (inst.crashLooping()) {
          CrashReport crash = inst.crashReport(ctx.masker);
          throw new EngineException(s.spec.name(), s.spec.name() + " " + crash.keepsCrashing()
              + " and never became ready: " + crash.explanation().summary(),
              "fix the cause shown below, then try again" + wholeLog(inst), crash.explanation().lines());
        }
        if (!inst.ready) {
          HttpProbeOutcome outcome = readiness.check(inst);
          inst.ready = outcome.ready();
          inst.detail = outcome.detail();
        }
      }
      if (set.allReady()) {
        return;
      }
      if (ctx.clock.past(deadline)) {
        InstanceRuntime first = set.live().stream().filter(i -> !i.ready).findFirst().orElseThrow();
        throw new EngineException(s.spec.name(), s.spec.name() + " did not become ready within "
            + Durations.format(timeout) + " (last check: " + first.detail + ")",
            "look at the log lines below" + wholeLog(first) + "; raise `services." + s.spec.name()
                + ".health.startupTimeout` if it is just slow",
            first.crashReport(ctx.masker).explanation().lines());
      }
      ctx.clock.pause(ctx.settings.startupProbeInterval());
    }
  }

  private static String wholeLog(InstanceRuntime inst) {
    return inst.handle == null ? "" : inst.handle.logFile().map(p -> "; the whole log is " + p).orElse("");
  }

  HttpProbeOutcome check(InstanceRuntime inst) {
    if (inst.handle == null || inst.handle.state() != ProcessState.RUNNING) {
      return new HttpProbeOutcome(false, "process not running");
    }
    if (spec.health().ready() != null) {
      Probe r = inst.handle.probe(spec.health().ready());
      return new HttpProbeOutcome(r.healthy(), "GET " + spec.health().ready() + ": " + r.detail());
    }
    if (spec.port() != null) {
      Probe r = inst.handle.connect();
      return new HttpProbeOutcome(r.healthy(), r.detail());
    }
    boolean settled = inst.handle.startedAt().plus(SETTLE).isBefore(clock.now());
    return new HttpProbeOutcome(settled, settled ? "running" : "just started");
  }
}
