package dev.slipway.store;

/**
 * What an active deployment is doing, stored with it. A phase is written before its first act, so a
 * control plane that restarts after a crash continues what was begun: a rollback is finished, never
 * resumed forward; a promotion is completed, never judged again. {@link #DONE} and only it belongs to
 * a finished deployment.
 */
public enum DeploymentPhase {
  /** Starting the candidate's instances, waiting for their readiness, smoke-checking them. */
  STARTING,
  /** Moving a share of traffic to the candidate. */
  SHIFTING,
  /** A timed pause, or one that waits for {@code slipway promote}. */
  PAUSING,
  /** Comparing the candidate with the stable release until a verdict. */
  ANALYSING,
  /** Draining and stopping stable instances (a rolling step, or the last step after a promotion). */
  RETIRING,
  /** The verdict is to go ahead: all traffic to the candidate, which becomes the current release. */
  PROMOTING,
  /** Blue-green: the previous release stays warm for the rollback window. */
  HOLDING,
  /** The verdict is to go back: traffic to the stable release, the candidate drained and stopped. */
  ROLLING_BACK,
  /** The deployment has finished; its state says how. */
  DONE
}
