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
  public static final String INSTANCE_CRASHED = "instance-crashed";
  public static final String INSTANCE_RESTARTED = "instance-restarted";
  public static final String CRASH_LOOP = "crash-loop";
  public static final String UNHEALTHY = "unhealthy";
  public static final String HEALTHY = "healthy";
  /** Everything is ready: {@code up --detach} returns here. */
  public static final String STACK_READY = "stack-ready";
  /** Bringing the stack up failed; details say why. The control plane stops what it started. */
  public static final String UP_FAILED = "up-failed";
  public static final String STOPPING = "stopping";
  public static final String STOPPED = "stopped";
  /** The control plane is about to exit; the last event of a stream. */
  public static final String SHUTDOWN = "shutdown";
}
