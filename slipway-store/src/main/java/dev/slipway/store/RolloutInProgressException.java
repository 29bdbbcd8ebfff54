package dev.slipway.store;

import java.time.ZoneId;

/**
 * A deployment could not start because its service already has an active one, which this names:
 * {@code api already has a deployment in progress: #12 (canary api-r2 → api-r3, RUNNING since
 * 12:01:02, step 3)}.
 */
public final class RolloutInProgressException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final transient Deployment running;

  public RolloutInProgressException(String operation, Deployment running) {
    super(operation, describe(running, ZoneId.systemDefault()), null);
    this.running = running;
  }

  /** The deployment that holds the service. */
  public Deployment running() {
    return running;
  }

  static String describe(Deployment d, ZoneId zone) {
    String releases = d.fromRelease() == null ? d.toRelease() : d.fromRelease() + " → " + d.toRelease();
    return d.service() + " already has a deployment in progress: #" + d.id() + " (" + d.strategy() + " "
        + releases + ", " + d.state() + " since " + TimeText.local(d.startedAt(), zone) + ", step " + d.step() + ")";
  }
}
