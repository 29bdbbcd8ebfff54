package dev.slipway.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a {@link Supervisor} runs; fixed for the supervisor's life.
 *
 * @param kind        registry kind: instance, server, container or router
 * @param description what the registry records as the command (never a secret)
 * @param port        the port it listens on, or 0; recorded so a later control plane can adopt it
 * @param fingerprint SHA-256 of everything that defines the launch (see {@link #identified})
 */
record Launch(String name, String kind, List<String> argv, Map<String, String> env, Path cwd,
    Path log, Signal stopSignal, String description, int port, String fingerprint) {
  Launch {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
  }

  Launch(String name, String kind, List<String> argv, Map<String, String> env, Path cwd, Path log,
      Signal stopSignal, String description) {
    this(name, kind, argv, env, cwd, log, stopSignal, description, 0, Fingerprint.of(argv, env, cwd, 0, ""));
  }

  /**
   * The same launch, recorded with its port and a fingerprint that also covers {@code extra} (what
   * defines it beyond argv, environment and directory, e.g. a config file's text).
   */
  Launch identified(int port, String extra) {
    return new Launch(name, kind, argv, env, cwd, log, stopSignal, description, port,
        Fingerprint.of(argv, env, cwd, port, extra));
  }
}
