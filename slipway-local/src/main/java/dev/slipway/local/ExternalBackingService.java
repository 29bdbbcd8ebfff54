package dev.slipway.local;

import dev.slipway.engine.runtime.BackingService;
import dev.slipway.engine.runtime.ProcessState;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** A backing service running elsewhere: Slipway only connects to it. */
final class ExternalBackingService implements BackingService {

  private final String name;
  private final Map<String, String> endpoint;
  private final BooleanSupplier probe;
  private volatile ProcessState state = ProcessState.RUNNING;

  ExternalBackingService(String name, Map<String, String> endpoint, BooleanSupplier probe) {
    this.name = name;
    this.endpoint = Map.copyOf(endpoint);
    this.probe = probe;
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
    return probe.getAsBoolean();
  }

  @Override
  public long pid() {
    return -1;
  }

  @Override
  public ProcessState state() {
    return state;
  }

  @Override
  public int restarts() {
    return 0;
  }

  @Override
  public void stop(Duration grace) {
    state = ProcessState.STOPPED;
  }
}
