package dev.slipway.engine.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A running, supervised instance of a service. The target restarts it with backoff when it exits;
 * the engine decides readiness and asks for restarts when liveness fails.
 */
public interface Instance {

  String id();

  String service();

  /**
   * The process id of the current incarnation, or -1 while none runs. Process-level, shown by
   * {@code status}: a target whose instances are not processes of its own (a pod) keeps the default.
   */
  default long pid() {
    return -1;
  }

  /** 127.0.0.1 port, or 0 when the instance has none. */
  int port();

  ProcessState state();

  /** How many times the target restarted this instance after it exited or was declared dead. */
  int restarts();

  /**
   * How many times the process ended on its own (crashed or exited) since the instance started: the
   * count a crash loop is reported with. Restarts asked for (a failed liveness check) are not exits.
   */
  int exits();

  /** When the current incarnation started. */
  Instant startedAt();

  /** The last lines of the instance's log, secrets masked. */
  List<String> tail(int lines);

  /**
   * The file the instance's output goes to, when the target keeps one (the local target does), so
   * logs can be followed. Lines read from it must be masked before they are shown.
   */
  default Optional<Path> logFile() {
    return Optional.empty();
  }

  /**
   * Checks the instance's HTTP endpoint {@code path}: healthy on any 2xx answered within a second.
   * The default sends {@code GET http://127.0.0.1:PORT/PATH}; a target whose platform probes its
   * instances itself may report what that saw. Never throws: failures are results.
   */
  default Probe probe(String path) {
    return LocalProbes.http(port(), path);
  }

  /** Whether the instance's port accepts connections now (for a service with a port but no readiness path). */
  default Probe connect() {
    return LocalProbes.connect(port());
  }

  /** Kills the current incarnation's process group and starts a new one (counts as a restart). */
  void restart(String reason);

  /** Stops for good: TERM to the process group, KILL after {@code grace}. Idempotent. */
  void stop(Duration grace);

  /** Registers a listener for state changes (crashes, restarts, crash loops). */
  void onChange(Listener listener);

  /** Receives state changes of an instance. */
  @FunctionalInterface
  interface Listener {
    void changed(Instance instance, ProcessState state, String detail);
  }
}
