package dev.slipway.store;

/**
 * An update carried an old revision: someone else updated the deployment since it was read. Read it
 * again with {@link StateStore#deployment(long)} and decide afresh.
 */
public final class StaleDeploymentException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final long deploymentId;
  private final long expectedRevision;
  private final long storedRevision;

  public StaleDeploymentException(String operation, long deploymentId, long expectedRevision, long storedRevision) {
    super(operation,
        "deployment #" + deploymentId + " was updated by someone else (it is at revision " + storedRevision
            + ", the update was based on revision " + expectedRevision + ")",
        "read it again and retry");
    this.deploymentId = deploymentId;
    this.expectedRevision = expectedRevision;
    this.storedRevision = storedRevision;
  }

  public long deploymentId() {
    return deploymentId;
  }

  /** The revision the rejected update was based on. */
  public long expectedRevision() {
    return expectedRevision;
  }

  /** The revision stored when the update was rejected. */
  public long storedRevision() {
    return storedRevision;
  }
}
