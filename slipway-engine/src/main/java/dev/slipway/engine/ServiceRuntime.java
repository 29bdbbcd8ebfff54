package dev.slipway.engine;

import dev.slipway.model.ServiceSpec;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** The engine's view of one service while the stack runs. */
final class ServiceRuntime {
  final ServiceSpec spec;
  final List<InstanceRuntime> instances = new CopyOnWriteArrayList<>();
  final CompletableFuture<Void> built = new CompletableFuture<>();
  final CompletableFuture<Void> started = new CompletableFuture<>();
  final CompletableFuture<Void> healthy = new CompletableFuture<>();
  volatile String version = "unbuilt";
  volatile String phase = "waiting";
  volatile boolean everReady;

  ServiceRuntime(ServiceSpec spec) {
    this.spec = spec;
  }

  /** The URL other services reach it at: its first instance, until the router gives it one address. */
  String url() {
    if (spec.port() == null || instances.isEmpty()) {
      return null;
    }
    return "http://127.0.0.1:" + instances.get(0).port;
  }

  boolean allReady() {
    return !instances.isEmpty() && instances.stream().allMatch(i -> i.ready);
  }
}
