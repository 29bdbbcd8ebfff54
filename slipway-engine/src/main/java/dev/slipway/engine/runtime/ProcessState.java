package dev.slipway.engine.runtime;

/** The life of a supervised process, as the target sees it (readiness is the engine's business). */
public enum ProcessState {
  /** Started; the process is alive. */
  RUNNING,
  /** Exited unexpectedly; a restart is scheduled after a backoff. */
  BACKOFF,
  /** Exited too often in a short time; still retried, with the longest backoff. */
  CRASH_LOOP,
  /** Being stopped on request. */
  STOPPING,
  /** Stopped on request; will not be restarted. */
  STOPPED
}
