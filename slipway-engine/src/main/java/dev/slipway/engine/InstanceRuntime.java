package dev.slipway.engine;

import dev.slipway.engine.target.Instance;

/** The engine's view of one instance: the target's handle plus what the probes last saw. */
final class InstanceRuntime {
  final String id;
  final int port;
  volatile Instance handle;
  volatile boolean ready;
  volatile String detail = "";
  volatile int livenessFailures;

  InstanceRuntime(String id, int port) {
    this.id = id;
    this.port = port;
  }
}
