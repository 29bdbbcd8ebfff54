package dev.slipway.engine;

import dev.slipway.model.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The engine's view of one service while the stack runs: its stable release and, during a rollout, the candidate. */
final class ServiceRuntime {
  final ServiceSpec spec;
  final CompletableFuture<Void> built = new CompletableFuture<>();
  final CompletableFuture<Void> started = new CompletableFuture<>();
  final CompletableFuture<Void> healthy = new CompletableFuture<>();
  /** The router's front port, or 0 for services without a port (they are not routed). */
  volatile int frontPort;
  volatile ReleaseSet stable;
  volatile ReleaseSet candidate;
  /**
   * Percent of unpinned traffic per release id, as the router applies it now (read back from it).
   * It differs from the weights asked for while a release has no ready instance: its share goes to
   * the others until one is ready again. Written only by the service's {@link ServiceRoutes}.
   */
  volatile Map<String, Integer> weights = Map.of();
  /** When the current candidate first got unpinned traffic, or null. */
  volatile java.time.Instant candidateTrafficSince;
  volatile String buildDigest;
  volatile String phase = "waiting";
  volatile boolean everReady;

  ServiceRuntime(ServiceSpec spec) {
    this.spec = spec;
  }

  boolean routed() {
    return spec.port() != null;
  }

  /** The URL other services and users reach it at: the router's stable front address. */
  String url() {
    return routed() && frontPort > 0 ? "http://127.0.0.1:" + frontPort : null;
  }

  /** Every live instance of every release. */
  List<InstanceRuntime> instances() {
    List<InstanceRuntime> all = new ArrayList<>();
    ReleaseSet s = stable;
    ReleaseSet c = candidate;
    if (s != null) {
      all.addAll(s.live());
    }
    if (c != null) {
      all.addAll(c.live());
    }
    return all;
  }

  String version() {
    ReleaseSet s = stable;
    return s == null ? null : s.version();
  }

  boolean allReady() {
    ReleaseSet s = stable;
    return s != null && s.allReady();
  }
}
