package dev.slipway.engine;

import dev.slipway.engine.runtime.Instance;

/**
 * The engine's view of one instance: the target's handle plus what the probes last saw. Each field
 * names its writers; everyone else only reads.
 */
final class InstanceRuntime {
  final String id;
  final int index;
  final int port;
  /** The target's handle; set once by {@link InstanceLauncher} when it starts or reattaches to the instance. */
  volatile Instance handle;
  /**
   * Whether it takes traffic: {@link Readiness} while its set starts, {@link HealthMonitor} afterwards;
   * cleared by {@link InstanceEvents} when the target reports an exit or restart and by
   * {@link InstanceLauncher} when it stops.
   */
  volatile boolean ready;
  /**
   * Ready, but the router has not been told yet: {@link HealthMonitor} raises it with {@link #ready} and
   * lowers it once the routes are refreshed, so nobody reads "healthy" while the router still answers 503.
   */
  volatile boolean routePending;
  /** Routes drain it before it stops: set by a rollout retiring it ({@link RolloutSteps}), cleared by a rollback ({@link RolloutRunner}). */
  volatile boolean draining;
  /** Set when the instance leaves its set for good ({@link InstanceLauncher#stop}); its watcher stops. */
  volatile boolean retired;
  /** What the last readiness check saw: {@link Readiness}, {@link HealthMonitor}. */
  volatile String detail = "";
  /** Failed checks in a row, counted by {@link HealthMonitor} alone. */
  volatile int livenessFailures;
  volatile int readinessFailures;
  /** Its last exit and what its log said then; null while it never exited. Written by {@link InstanceEvents}. */
  volatile CrashReport lastCrash;

  InstanceRuntime(String id, int index, int port) {
    this.id = id;
    this.index = index;
    this.port = port;
  }

  /** Reads and explains its log now; call it right after an exit, before the next run writes. */
  CrashReport crashReport(dev.slipway.engine.runtime.SecretMasker masker) {
    Instance h = handle;
    java.util.List<String> tail = h == null ? java.util.List.of()
        : h.tail(dev.slipway.engine.runtime.CrashExplanation.TAIL_LINES).stream().map(masker::mask).toList();
    return new CrashReport(id, h == null ? 0 : h.exits(), dev.slipway.engine.runtime.CrashExplanation.of(tail));
  }

  /** Whether its process keeps crashing (the target gave up restarting it for now). */
  boolean crashLooping() {
    Instance h = handle;
    return h != null && h.state() == dev.slipway.engine.runtime.ProcessState.CRASH_LOOP;
  }
}
