package dev.slipway.local;

import dev.slipway.engine.runtime.BackingService;
import dev.slipway.engine.runtime.ProcessState;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** A backing service whose server process a {@link Supervisor} keeps running. */
final class SupervisedBackingService implements BackingService {

  private final String name;
  private final Supervisor supervisor;
  private final Map<String, String> endpoint;
  private final BooleanSupplier probe;
  private final boolean container;
  private final Consumer<Duration> beforeStop;

  /**
   * @param container  whether the process is a container client ({@link #pid()} is then -1)
   * @param beforeStop asks the server to stop by other means first (e.g. {@code docker stop}), or no-op
   */
  SupervisedBackingService(String name, Supervisor supervisor, Map<String, String> endpoint,
      BooleanSupplier probe, boolean container, Consumer<Duration> beforeStop) {
    this.name = name;
    this.supervisor = supervisor;
    this.endpoint = Map.copyOf(endpoint);
    this.probe = probe;
    this.container = container;
    this.beforeStop = beforeStop;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Map<String, String> endpoint() {
    return endpoint;
  }

  @Override
  public boolean healthy() {
    return supervisor.state() == ProcessState.RUNNING || supervisor.state() == ProcessState.CRASH_LOOP
        ? probe.getAsBoolean() : false;
  }

  @Override
  public long pid() {
    return container ? -1 : supervisor.pid();
  }

  @Override
  public ProcessState state() {
    return supervisor.state();
  }

  @Override
  public int restarts() {
    return supervisor.restarts();
  }

  @Override
  public void stop(Duration grace) {
    if (supervisor.state() != ProcessState.STOPPED) {
      beforeStop.accept(grace);
    }
    supervisor.stop(grace);
  }

  Supervisor supervisor() {
    return supervisor;
  }

  @Override
  public String toString() {
    return "SupervisedBackingService[" + name + ", pid " + supervisor.pid() + ", " + state() + "]";
  }
}
