package dev.slipway.local;

import dev.slipway.engine.runtime.Instance;
import dev.slipway.engine.runtime.InstanceSpec;
import dev.slipway.engine.runtime.ProcessState;
import dev.slipway.engine.runtime.SecretMasker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A service instance run by a {@link Supervisor} on this machine. */
final class LocalInstance implements Instance {

  private final InstanceSpec spec;
  private final Supervisor supervisor;
  private final SecretMasker masker;

  LocalInstance(InstanceSpec spec, Supervisor supervisor, SecretMasker masker) {
    this.spec = spec;
    this.supervisor = supervisor;
    this.masker = masker;
  }

  @Override
  public String id() {
    return spec.instanceId();
  }

  @Override
  public String service() {
    return spec.service();
  }

  @Override
  public long pid() {
    return supervisor.pid();
  }

  @Override
  public int port() {
    return spec.port();
  }

  /** The release it runs ({@code api-r2}). */
  String release() {
    return spec.release();
  }

  /** Where it runs: its release's artifact snapshot, or {@code null} for the model file's directory. */
  Path workDir() {
    return spec.workDir();
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
  public int exits() {
    return supervisor.exits();
  }

  @Override
  public Instant startedAt() {
    return supervisor.startedAt();
  }

  @Override
  public List<String> tail(int lines) {
    return LogTail.lines(supervisor.launch().log(), lines, masker);
  }

  @Override
  public Optional<Path> logFile() {
    return Optional.of(supervisor.launch().log());
  }

  @Override
  public void restart(String reason) {
    supervisor.restart(reason, spec.stopTimeout());
  }

  @Override
  public void stop(Duration grace) {
    supervisor.stop(grace);
  }

  /** Stops with the instance's own stop timeout. */
  void stop() {
    supervisor.stop(spec.stopTimeout());
  }

  @Override
  public void onChange(Listener listener) {
    supervisor.addListener((state, detail) -> listener.changed(this, state, detail));
  }

  @Override
  public String toString() {
    return "LocalInstance[" + spec.instanceId() + ", pid " + pid() + ", " + state() + "]";
  }
}
