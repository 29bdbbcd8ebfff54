package dev.slipway.engine;

import dev.slipway.api.StatusView;
import dev.slipway.engine.runtime.Instance;
import dev.slipway.engine.runtime.ProcessState;
import java.util.ArrayList;
import java.util.List;

/** Turns the engine's runtime view into the API's {@link StatusView}. Holds no secrets by design. */
final class StatusBuilder {
  private StatusBuilder() {}

  static StatusView build(EngineContext ctx, String stackState, ReleaseEngine releases,
      StatusView.ControlPlaneView controlPlane) {
    List<StatusView.ServiceView> services = new ArrayList<>();
    for (ServiceRuntime s : ctx.services.values()) {
      List<StatusView.InstanceView> instances = new ArrayList<>();
      int restarts = 0;
      for (ReleaseSet set : sets(s)) {
        for (InstanceRuntime inst : set.live()) {
          Instance h = inst.handle;
          int r = h == null ? 0 : h.restarts();
          restarts += r;
          String state = instanceState(s, inst);
          CrashReport crash = inst.lastCrash;
          boolean down = h != null && ("restarting".equals(state) || "crash-loop".equals(state));
          String detail = down && crash != null ? (h.state() == ProcessState.CRASH_LOOP ? crash.keepsCrashing()
              : "exited (" + CrashReport.exits(crash.exits()) + ")") + ": " + crash.explanation().summary() : inst.detail;
          instances.add(new StatusView.InstanceView(inst.id, set.id(), h == null ? -1 : h.pid(), inst.port,
              state, inst.ready && !inst.routePending, r, detail, h == null ? 0 : h.exits(),
              crash == null ? List.of() : crash.explanation().lines()));
        }
      }
      ReleaseSet serving = serving(ctx, s);
      services.add(new StatusView.ServiceView(s.spec.name(), serviceState(s), s.allReady(), s.url(),
          serving == null ? null : serving.version(), restarts, instances, serving == null ? null : serving.id(),
          s.weights,
          releases.activeRollout(s.spec.name()).orElse(null), releases.lastRollout(s.spec.name()).orElse(null)));
    }
    List<StatusView.ResourceView> resources = new ArrayList<>();
    for (ResourceRuntime r : ctx.resources.values()) {
      var h = r.handle;
      int port = 0;
      String host = null;
      if (h != null) {
        host = h.endpoint().get("host");
        try {
          port = Integer.parseInt(h.endpoint().getOrDefault("port", "0"));
        } catch (NumberFormatException e) {
          port = 0;
        }
      }
      resources.add(new StatusView.ResourceView(r.spec.name(), r.spec.type().key(), r.spec.provider().key(),
          r.state, r.isHealthy, host, port, h == null ? -1 : h.pid(), h == null ? 0 : h.restarts()));
    }
    return new StatusView(ctx.app.name(), ctx.environment, stackState, controlPlane, services, resources);
  }

  /**
   * The release that serves: the current one. During a rollout that is the stable release until the
   * candidate is promoted — e.g. once a blue-green switch sent it all traffic, while the previous
   * release is kept warm — and the candidate from then on.
   */
  private static ReleaseSet serving(EngineContext ctx, ServiceRuntime s) {
    ReleaseSet stable = s.stable;
    ReleaseSet candidate = s.candidate;
    if (candidate == null || candidate == stable) {
      return stable;
    }
    try {
      return ctx.store.currentRelease(ctx.environment, s.spec.name()).filter(candidate.id()::equals).isPresent()
          ? candidate : stable;
    } catch (dev.slipway.store.StoreException e) {
      return stable; // status must answer; the store's trouble shows elsewhere
    }
  }

  private static List<ReleaseSet> sets(ServiceRuntime s) {
    List<ReleaseSet> sets = new ArrayList<>();
    if (s.stable != null) {
      sets.add(s.stable);
    }
    if (s.candidate != null && s.candidate != s.stable) {
      sets.add(s.candidate);
    }
    return sets;
  }

  private static String instanceState(ServiceRuntime s, InstanceRuntime inst) {
    Instance h = inst.handle;
    if (h == null) {
      return s.phase;
    }
    if (inst.draining) {
      return "draining";
    }
    return switch (h.state()) {
      case BACKOFF -> "restarting";
      case CRASH_LOOP -> "crash-loop";
      case STOPPING -> "stopping";
      case STOPPED -> "stopped";
      case RUNNING -> inst.ready && !inst.routePending ? "ready" : (s.everReady ? "unhealthy" : "starting");
    };
  }

  private static String serviceState(ServiceRuntime s) {
    List<InstanceRuntime> stable = s.stable == null ? List.of() : s.stable.live();
    boolean anyHandle = false;
    for (InstanceRuntime inst : stable) {
      if (inst.handle == null) {
        continue;
      }
      anyHandle = true;
      ProcessState st = inst.handle.state();
      if (st == ProcessState.CRASH_LOOP) {
        return "crash-loop";
      }
      if (st == ProcessState.BACKOFF) {
        return "restarting";
      }
    }
    if (!anyHandle || !s.everReady || "stopping".equals(s.phase) || "stopped".equals(s.phase)
        || "failed".equals(s.phase)) {
      return s.phase;
    }
    if (s.candidate != null) {
      return "rolling-out";
    }
    return s.allReady() ? "ready" : "unhealthy";
  }
}
