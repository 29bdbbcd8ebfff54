package dev.slipway.api;

/** The kinds of {@link EventView}. Names are stable: clients match on them. */
public final class EventKind {
  private EventKind() {}

  public static final String INFO = "info";
  public static final String WARNING = "warning";
  public static final String BUILD_STARTED = "build-started";
  public static final String BUILD_FINISHED = "build-finished";
  public static final String RESOURCE_STARTING = "resource-starting";
  public static final String RESOURCE_READY = "resource-ready";
  public static final String SERVICE_WAITING = "service-waiting";
  public static final String SERVICE_STARTING = "service-starting";
  public static final String SERVICE_READY = "service-ready";
  /** An instance exited; details carry {@code exits}, {@code cause} and {@code log}, the lines that explain it. */
  public static final String INSTANCE_CRASHED = "instance-crashed";
  public static final String INSTANCE_RESTARTED = "instance-restarted";
  /** An instance keeps crashing (5 exits within a minute); details as for {@link #INSTANCE_CRASHED}. */
  public static final String CRASH_LOOP = "crash-loop";
  public static final String UNHEALTHY = "unhealthy";
  public static final String HEALTHY = "healthy";
  /** Everything is ready: {@code up --detach} returns here. */
  public static final String STACK_READY = "stack-ready";
  /**
   * Bringing the stack up failed; details say why. The control plane stops what it started, unless
   * it was taking over what a previous one left running: then it stops nothing and exits.
   */
  public static final String UP_FAILED = "up-failed";
  /** A rollout started; subject is the service. */
  public static final String ROLLOUT_STARTED = "rollout-started";
  /** A rollout moved to a step; details carry {@code step}, {@code weights}. */
  public static final String ROLLOUT_STEP = "rollout-step";
  /** Analysis values while a canary is judged; details carry the measurements and the limits. */
  public static final String ANALYSIS = "analysis";
  /** A rollout waits (pause, inconclusive analysis); {@code promote} continues it. */
  public static final String ROLLOUT_PAUSED = "rollout-paused";
  // The terminal rollout events are named after the deployment's end state and carry it as details.state.

  /** Terminal: the new release is stable. */
  public static final String ROLLOUT_SUCCEEDED = "rollout-succeeded";
  /** Terminal: the candidate failed (or a rollback was asked for) and traffic went back to the stable release; details carry the reason. */
  public static final String ROLLOUT_ROLLED_BACK = "rollout-rolled-back";
  /** Terminal: the rollout was aborted on request. */
  public static final String ROLLOUT_ABORTED = "rollout-aborted";
  /** Terminal: the rollout failed and so did its rollback; {@code slipway status} shows what runs. */
  public static final String ROLLOUT_FAILED = "rollout-failed";
  public static final String STOPPING = "stopping";
  public static final String STOPPED = "stopped";
  /** The control plane is about to exit; the last event of a stream. */
  public static final String SHUTDOWN = "shutdown";
}
