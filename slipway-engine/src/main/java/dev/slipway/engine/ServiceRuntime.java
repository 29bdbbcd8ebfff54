package dev.slipway.engine;

import dev.slipway.model.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The engine's view of one service while the stack runs: its stable release and, during a rollout, the
 * candidate. Each field names its writers; everyone else only reads. A start ({@link StackStartup})
 * writes before any rollout of the service can begin, a rollout ({@link RolloutRunner} and its
 * {@link RolloutSteps}) only while it holds the service, and the routes only through {@link Routing}.
 */
final class ServiceRuntime {
  final ServiceSpec spec;
  /** Completed by {@link StackStartup} once the release to start is known (built, or taken over). */
  final CompletableFuture<Void> built = new CompletableFuture<>();
  /** Completed by {@link StackStartup} once its instances are launched (what {@code started} dependencies wait for). */
  final CompletableFuture<Void> started = new CompletableFuture<>();
  /** Completed by {@link StackStartup} once its instances are ready. */
  final CompletableFuture<Void> healthy = new CompletableFuture<>();
  /** The router's front port, or 0 for services without a port (they are not routed). Set once by {@link StackStartup}. */
  volatile int frontPort;
  /** Set by {@link StackStartup}; then only by the service's {@link RolloutRunner} (a promotion or a rollback). */
  volatile ReleaseSet stable;
  /** Set and cleared by the service's {@link RolloutRunner} and its {@link RolloutSteps}; null between rollouts. */
  volatile ReleaseSet candidate;
  /**
   * Percent of unpinned traffic per release id, as the router applies it now (read back from it).
   * It differs from the weights asked for while a release has no ready instance: its share goes to
   * the others until one is ready again. Written only by {@link Routing} and the service's {@link ServiceRoutes}.
   */
  volatile Map<String, Integer> weights = Map.of();
  /** When the current candidate first got unpinned traffic, or null. Written by the service's {@link ServiceRoutes}. */
  volatile java.time.Instant candidateTrafficSince;
  /** The digest of its last build in this run: by {@link StackStartup}, or by a deploy that builds ({@link ReleaseEngine}). */
  volatile String buildDigest;
  /** What {@code status} shows while no rollout runs ({@code waiting}, {@code building}, {@code ready}, ...): {@link StackStartup} and {@link StackShutdown}. */
  volatile String phase = "waiting";
  /** Whether it was ever ready in this run (a later failure is then "unhealthy", not "starting"): {@link StackStartup}. */
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
