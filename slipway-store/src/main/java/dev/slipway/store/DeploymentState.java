package dev.slipway.store;

/**
 * Where a deployment is in its life. PENDING, RUNNING and PAUSED are active: while a deployment is
 * in one of them it holds its service, and no other deployment of that service can start. The other
 * states are final.
 */
public enum DeploymentState {
  PENDING,
  RUNNING,
  PAUSED,
  SUCCEEDED,
  FAILED,
  ROLLED_BACK,
  ABORTED;

  /** True while the deployment holds its service (PENDING, RUNNING, PAUSED). */
  public boolean active() {
    return this == PENDING || this == RUNNING || this == PAUSED;
  }
}
