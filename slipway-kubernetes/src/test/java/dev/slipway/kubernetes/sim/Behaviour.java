package dev.slipway.kubernetes.sim;

/** How a simulated container behaves, chosen by its image with {@link SimKubelet#behave}. */
public enum Behaviour {
  /** Running; ready after the kubelet's ready delay (its readiness probe passes). */
  READY,
  /** Running but never ready: its readiness probe keeps failing. */
  NEVER_READY,
  /** Exits at once and is restarted with back-off: waiting in CrashLoopBackOff, restarts growing. */
  CRASH_LOOP
}
