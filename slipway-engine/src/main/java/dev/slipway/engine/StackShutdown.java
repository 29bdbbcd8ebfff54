package dev.slipway.engine;

import dev.slipway.api.EventKind;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.plan.StartupPlan;

/**
 * The two ways a control plane lets go of a stack: {@link #down} stops everything in reverse start
 * order; {@link #detach} stops acting and changes nothing, for the next control plane to take over.
 */
final class StackShutdown {
  private final EngineContext ctx;
  private final StartupPlan plan;
  private final ReleaseEngine releaseEngine;

  StackShutdown(EngineContext ctx, StartupPlan plan, ReleaseEngine releaseEngine) {
    this.ctx = ctx;
    this.plan = plan;
    this.releaseEngine = releaseEngine;
  }

  /** Health monitoring ends and rollouts stop where they are, without a word to the store. */
  void detach(HealthMonitor monitor, String reason) {
    if (monitor != null) {
      monitor.stop();
    }
    releaseEngine.detachAll(reason);
  }

  /** Stops everything in reverse start order and, with {@code volumes}, deletes backing-service data. */
  void down(HealthMonitor monitor, boolean volumes) {
    if (monitor != null) {
      monitor.stop();
    }
    releaseEngine.stopAll("the stack was stopped");
    ctx.events.emit(EventKind.STOPPING, null, "stopping " + ctx.app.name());
    for (StartupPlan.Step step : plan.stopOrder()) {
      if (step.kind() == StartupPlan.Kind.SERVICE) {
        stopService(ctx.services.get(step.name()));
      } else {
        ResourceRuntime r = ctx.resources.get(step.name());
        if (r.handle != null) {
          r.handle.stop(ctx.settings.stopGrace());
          ctx.events.emit(EventKind.STOPPED, r.spec.name(), "stopped " + r.spec.name());
        }
        r.state = "stopped";
        r.isHealthy = false;
      }
    }
    ctx.target.close();
    if (volumes) {
      try {
        for (String line : ctx.target.deleteData(ctx.resources.keySet())) {
          ctx.events.emit(EventKind.INFO, null, line);
        }
      } catch (TargetException e) {
        ctx.events.emit(EventKind.WARNING, e.subject(), e.getMessage());
      }
    }
  }

  private void stopService(ServiceRuntime s) {
    s.phase = "stopping";
    boolean any = false;
    for (InstanceRuntime inst : s.instances()) {
      if (inst.handle != null) {
        ctx.launcher.stop(inst);
        any = true;
      }
    }
    s.phase = "stopped";
    if (any) {
      ctx.events.emit(EventKind.STOPPED, s.spec.name(), "stopped " + s.spec.name());
    }
  }
}
