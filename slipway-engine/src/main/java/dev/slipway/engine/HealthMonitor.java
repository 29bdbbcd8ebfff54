package dev.slipway.engine;

import dev.slipway.analysis.HttpProbe;
import dev.slipway.api.EventKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches a running stack: readiness and liveness of every instance at the model's interval (fast
 * again right after a restart, so a restarted instance is back in traffic quickly), and a real check
 * of every backing service. Restarts an instance whose liveness fails several times in a row.
 */
final class HealthMonitor {
  private final Map<String, ResourceRuntime> resources;
  private final Map<String, ServiceRuntime> services;
  private final EventLog events;
  private final EngineSettings settings;
  private final List<Thread> threads = new ArrayList<>();
  private final Map<InstanceRuntime, Thread> instanceThreads = new ConcurrentHashMap<>();
  private volatile boolean stopped;

  HealthMonitor(Map<String, ResourceRuntime> resources, Map<String, ServiceRuntime> services, EventLog events,
      EngineSettings settings) {
    this.resources = resources;
    this.services = services;
    this.events = events;
    this.settings = settings;
  }

  void start() {
    for (ServiceRuntime s : services.values()) {
      for (InstanceRuntime inst : s.instances) {
        Thread t = Thread.ofVirtual().name("watch-" + inst.id).start(() -> watch(s, inst));
        instanceThreads.put(inst, t);
        threads.add(t);
      }
    }
    threads.add(Thread.ofVirtual().name("watch-resources").start(this::watchResources));
  }

  /** Cuts the current sleep of an instance's watcher short, e.g. right after a restart. */
  void wake(InstanceRuntime inst) {
    Thread t = instanceThreads.get(inst);
    if (t != null) {
      t.interrupt();
    }
  }

  void stop() {
    stopped = true;
    threads.forEach(Thread::interrupt);
  }

  boolean allHealthy() {
    return services.values().stream().allMatch(ServiceRuntime::allReady)
        && resources.values().stream().allMatch(r -> r.isHealthy);
  }

  private void watch(ServiceRuntime s, InstanceRuntime inst) {
    Readiness readiness = new Readiness(s.spec);
    String live = s.spec.health().live();
    Duration interval = s.spec.health().interval();
    while (!stopped) {
      boolean wasReady = inst.ready;
      HttpProbeOutcome outcome = readiness.check(inst);
      inst.ready = outcome.ready();
      inst.detail = outcome.detail();
      if (wasReady && !inst.ready && !stopped) {
        events.emit(EventKind.UNHEALTHY, inst.id, inst.id + " is not ready: " + outcome.detail());
      } else if (!wasReady && inst.ready) {
        events.emit(EventKind.HEALTHY, inst.id, inst.id + " is ready again");
      }
      if (live != null && inst.handle != null && inst.port > 0) {
        checkLiveness(inst, live);
      }
      try {
        Thread.sleep(inst.ready ? interval : settings.startupProbeInterval());
      } catch (InterruptedException e) {
        if (stopped) {
          return;
        }
        // Woken early (restart): probe again at once.
      }
    }
  }

  private void checkLiveness(InstanceRuntime inst, String path) {
    HttpProbe.ProbeResult r = Readiness.PROBE.probe(inst.port, path);
    if (r.healthy()) {
      inst.livenessFailures = 0;
      return;
    }
    // While the process is (re)starting, a refused connection is expected, not a liveness failure.
    if (!inst.ready && "connection refused".equals(r.detail())) {
      return;
    }
    if (++inst.livenessFailures >= settings.livenessFailures() && !stopped) {
      inst.livenessFailures = 0;
      events.emit(EventKind.UNHEALTHY, inst.id, inst.id + " failed its liveness check "
          + settings.livenessFailures() + " times (" + r.detail() + "); restarting it");
      inst.handle.restart("liveness check failed: " + r.detail());
    }
  }

  private void watchResources() {
    while (!stopped) {
      for (ResourceRuntime r : resources.values()) {
        if (r.handle == null || stopped) {
          continue;
        }
        boolean healthy = r.handle.healthy();
        if (r.isHealthy && !healthy && !stopped) {
          r.state = "unhealthy";
          events.emit(EventKind.UNHEALTHY, r.spec.name(), r.spec.name() + " does not answer its health check");
        } else if (!r.isHealthy && healthy) {
          r.state = "ready";
          events.emit(EventKind.HEALTHY, r.spec.name(), r.spec.name() + " answers again");
        }
        r.isHealthy = healthy;
      }
      try {
        Thread.sleep(settings.resourceCheckInterval());
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
