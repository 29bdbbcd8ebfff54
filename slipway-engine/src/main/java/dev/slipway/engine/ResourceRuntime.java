package dev.slipway.engine;

import dev.slipway.engine.runtime.BackingService;
import dev.slipway.model.BackingServiceSpec;
import java.util.concurrent.CompletableFuture;

/** The engine's view of one backing service while the stack runs. */
final class ResourceRuntime {
  final BackingServiceSpec spec;
  final CompletableFuture<Void> started = new CompletableFuture<>();
  final CompletableFuture<Void> healthy = new CompletableFuture<>();
  volatile BackingService handle;
  volatile String state = "waiting";
  volatile boolean isHealthy;

  ResourceRuntime(BackingServiceSpec spec) {
    this.spec = spec;
  }
}
