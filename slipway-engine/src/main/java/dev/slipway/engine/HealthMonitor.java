package dev.slipway.engine;

import dev.slipway.api.EventKind;
import dev.slipway.engine.runtime.Probe;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches a running stack: readiness and liveness of every instance at the model's interval (fast
 * again right after a restart, so a restarted instance is back quickly), and a real check of every
 * backing service. Restarts an instance whose liveness fails several times in a row. Instances that
 * come with a rollout are watched from when they start until they are retired.
 */
final class HealthMonitor implements EngineContext.InstanceWatch {
  private final EngineContext ctx;
  private final Map<InstanceRuntime, Thread> watchers = new ConcurrentHashMap<>();
  /** Keeps start() and watch() from starting two watchers of one instance; held only to start threads. */
  private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
  private volatile Thread resourceWatcher;
  private volatile boolean started;
  private volatile boolean stopped;

  HealthMonitor(EngineContext ctx) {
    this.ctx = ctx;
  }

  void start() {
    lock.lock();
    try {
      started = true;
      for (ServiceRuntime s : ctx.services.values()) {
        for (InstanceRuntime inst : s.instances()) {
          watch(s, inst);
        }
      }
      resourceWatcher = ctx.clock.start("watch-resources", this::watchResources);
    } finally {
      lock.unlock();
    }
  }

  /** Starts watching {@code inst} (no-op before the stack is up: start() picks everything up then). */
  @Override
  public void watch(ServiceRuntime s, InstanceRuntime inst) {
    lock.lock();
    try {
      if (!started || stopped || watchers.containsKey(inst)) {
        return;
      }
      watchers.put(inst, ctx.clock.start("watch-" + inst.id, () -> watchLoop(s, inst)));
    } finally {
      lock.unlock();
    }
  }

  /** Cuts the current sleep of an instance's watcher short, e.g. right after a restart. */
  @Override
  public void wake(InstanceRuntime inst) {
    Thread t = watchers.get(inst);
    if (t != null) {
      t.interrupt();
    }
  }

  void stop() {
    stopped = true;
    watchers.values().forEach(Thread::interrupt);
    Thread r = resourceWatcher;
    if (r != null) {
      r.interrupt();
    }
  }

  boolean allHealthy() {
    return ctx.services.values().stream().allMatch(ServiceRuntime::allReady)
        && ctx.resources.values().stream().allMatch(r -> r.isHealthy);
  }

  private void watchLoop(ServiceRuntime s, InstanceRuntime inst) {
    Readiness readiness = new Readiness(s.spec, ctx.clock);
    String live = s.spec.health().live();
    Duration interval = s.spec.health().interval();
    try {
      while (!stopped && !inst.retired) {
        boolean wasReady = inst.ready;
        HttpProbeOutcome outcome = readiness.check(inst);
        if (inst.retired || stopped) {
          return;
        }
        inst.detail = outcome.detail();
        if (outcome.ready()) {
          inst.readinessFailures = 0;
          if (!wasReady) {
            inst.routePending = true;
          }
          inst.ready = true;
        } else if (!wasReady || ++inst.readinessFailures >= ctx.settings.readinessFailures()) {
          // A ready instance leaves rotation only after several failed checks in a row: one slow
          // answer under a burst of load is not an outage.
          inst.ready = false;
        }
        if (wasReady && !inst.ready) {
          ctx.events.emit(EventKind.UNHEALTHY, inst.id, inst.id + " is not ready: " + outcome.detail());
          reroute(s);
        } else if (!wasReady && inst.ready) {
          try {
            reroute(s);
          } finally {
            inst.routePending = false;
          }
          if (s.everReady) {
            ctx.events.emit(EventKind.HEALTHY, inst.id, inst.id + " is ready again");
          }
        }
        if (live != null && inst.handle != null && inst.port > 0) {
          checkLiveness(inst, live);
        }
        try {
          ctx.clock.sleep(inst.ready ? interval : ctx.settings.startupProbeInterval());
        } catch (InterruptedException e) {
          if (stopped || inst.retired) {
            return;
          }
          // Woken early (restart): probe again at once.
        }
      }
    } finally {
      watchers.remove(inst);
    }
  }

  /** Readiness changed: the router takes the instance in or out of rotation. */
  private void reroute(ServiceRuntime s) {
    Routing r = ctx.routing;
    if (r == null || !s.routed()) {
      return;
    }
    try {
      r.refresh(s);
    } catch (dev.slipway.engine.runtime.TargetException e) {
      ctx.events.emit(EventKind.WARNING, s.spec.name(), "could not update the routes of " + s.spec.name() + ": "
          + e.getMessage());
    }
  }

  private void checkLiveness(InstanceRuntime inst, String path) {
    Probe r = inst.handle.probe(path);
    if (r.healthy()) {
      inst.livenessFailures = 0;
      return;
    }
    // While the process is (re)starting, a refused connection is expected, not a liveness failure.
    if (!inst.ready && "connection refused".equals(r.detail())) {
      return;
    }
    if (++inst.livenessFailures >= ctx.settings.livenessFailures() && !stopped && !inst.retired) {
      inst.livenessFailures = 0;
      ctx.events.emit(EventKind.UNHEALTHY, inst.id, inst.id + " failed its liveness check "
          + ctx.settings.livenessFailures() + " times (" + r.detail() + "); restarting it");
      inst.handle.restart("liveness check failed: " + r.detail());
    }
  }

  private void watchResources() {
    while (!stopped) {
      for (ResourceRuntime r : ctx.resources.values()) {
        if (r.handle == null || stopped) {
          continue;
        }
        boolean healthy = r.handle.healthy();
        if (r.isHealthy && !healthy && !stopped) {
          r.state = "unhealthy";
          ctx.events.emit(EventKind.UNHEALTHY, r.spec.name(), r.spec.name() + " does not answer its health check");
        } else if (!r.isHealthy && healthy) {
          r.state = "ready";
          ctx.events.emit(EventKind.HEALTHY, r.spec.name(), r.spec.name() + " answers again");
        }
        r.isHealthy = healthy;
      }
      try {
        ctx.clock.sleep(ctx.settings.resourceCheckInterval());
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
