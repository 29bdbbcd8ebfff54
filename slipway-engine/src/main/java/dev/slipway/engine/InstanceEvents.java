package dev.slipway.engine;

import dev.slipway.api.EventKind;
import dev.slipway.engine.runtime.Instance;
import dev.slipway.engine.runtime.TargetException;

/**
 * What the target reports about an instance's process, turned into the engine's state and events: a
 * crash takes the instance out of rotation and says why (its log, explained and masked), a crash loop
 * is named as such, a restart gets its health watcher to look again at once.
 */
final class InstanceEvents {
  private final EngineContext ctx;

  InstanceEvents(EngineContext ctx) {
    this.ctx = ctx;
  }

  Instance.Listener listenerFor(ServiceRuntime s, InstanceRuntime inst) {
    return (i, st, detail) -> {
      switch (st) {
        case BACKOFF -> {
          inst.ready = false;
          if (ctx.routing != null && s.routed()) {
            try {
              ctx.routing.refresh(s);
            } catch (TargetException e) {
              ctx.events.emit(EventKind.WARNING, s.spec.name(), "could not update routes: " + e.getMessage());
            }
          }
          CrashReport crash = inst.crashReport(ctx.masker);
          inst.lastCrash = crash;
          ctx.events.emit(EventKind.INSTANCE_CRASHED, inst.id, inst.id + " exited (" + CrashReport.exits(crash.exits())
              + "): " + detail, crash.details());
        }
        case CRASH_LOOP -> {
          inst.ready = false;
          CrashReport crash = inst.crashReport(ctx.masker);
          inst.lastCrash = crash;
          ctx.events.emit(EventKind.CRASH_LOOP, inst.id, inst.id + " " + crash.keepsCrashing() + ": " + detail,
              crash.details());
        }
        case RUNNING -> {
          if (i.restarts() > 0) {
            inst.ready = false;
            ctx.events.emit(EventKind.INSTANCE_RESTARTED, inst.id, inst.id + " restarted (restart " + i.restarts()
                + ")" + (detail == null || detail.isEmpty() ? "" : ": " + detail));
            EngineContext.InstanceWatch m = ctx.monitor;
            if (m != null) {
              m.wake(inst);
            }
          }
        }
        default -> { }
      }
    };
  }
}
