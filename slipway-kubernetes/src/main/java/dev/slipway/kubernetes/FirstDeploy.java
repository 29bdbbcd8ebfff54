package dev.slipway.kubernetes;

import dev.slipway.model.ServiceSpec;
import dev.slipway.store.DeploymentPhase;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An environment's first deploy: the whole application as {@code slipway generate kubernetes} makes it
 * (backing services included), applied at once and waited for like {@code helm upgrade --install --wait};
 * every service gets its release {@code r1}. A service the model gained later gets the same on its own
 * first deploy (its objects only).
 */
final class FirstDeploy {
  static final String INSTALL = "install";

  private FirstDeploy() {}

  /**
   * @param services the services to install: every one of the model's, or the one that has no record yet
   */
  static DeployResult run(RunnerContext ctx, DeployOrder order, ClusterLease.Held held, List<String> services)
      throws KubernetesException, InterruptedException {
    long started = System.nanoTime();
    Map<String, String> images = new LinkedHashMap<>();
    Map<String, String> ids = new LinkedHashMap<>();
    for (ServiceSpec s : ctx.app.services().values()) {
      boolean ordered = s.name().equals(order.service());
      images.put(s.name(), Images.resolve(s, ordered ? order.imageTag() : null, ordered ? order.image() : null,
          ctx.env.cluster().requireDigests() && (ordered || services.contains(s.name()))));
      ids.put(s.name(), "r1");
    }
    Map<String, RolloutRecord> records = new LinkedHashMap<>();
    List<ClusterRelease> firsts = new ArrayList<>();
    for (String name : services) {
      ClusterRelease r1 = new ClusterRelease(name, 1, images.get(name), ctx.objects.configDigest(name), INSTALL,
          DeploymentPhase.STARTING, RolloutRecord.IN_PROGRESS, null, 0, Map.of(), ctx.settings.clock().now(), null,
          ctx.cluster.options().runner());
      firsts.add(r1);
      records.put(name, new RolloutRecord(ctx, held, r1));
    }
    // One request each, all at once: a 200-service model's records should not take 200 round trips in a row.
    each(firsts, ctx.records::create);
    List<HasMetadata> objects = new ArrayList<>();
    for (HasMetadata o : ctx.objects.install(images, ids)) {
      String owner = o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(ClusterObjects.NAME);
      if (services.size() == ctx.app.services().size() || owner != null && services.contains(owner)
          || "Namespace".equals(o.getKind())) {
        objects.add(o);
      }
    }
    held.check();
    ctx.say((services.size() == ctx.app.services().size() ? "first deploy of " + ctx.app.name() : "first deploy of "
        + String.join(", ", services)) + " to namespace " + ctx.namespace() + ": " + objects.size() + " objects");
    ctx.applier.apply(objects);
    ctx.say("applied by " + ctx.applier.mode());
    Set<String> deployments = new LinkedHashSet<>();
    Set<String> statefulSets = new LinkedHashSet<>();
    for (HasMetadata o : objects) {
      if (o instanceof Deployment) {
        deployments.add(o.getMetadata().getName());
      } else if ("StatefulSet".equals(o.getKind())) {
        statefulSets.add(o.getMetadata().getName());
      }
    }
    java.time.Duration stall = services.stream().map(n -> ctx.stall(ctx.app.service(n)))
        .max(java.time.Duration::compareTo).orElse(java.time.Duration.ofMinutes(1));
    RolloutWatch.Outcome o = ctx.watch.workloads(deployments, statefulSets, stall, line -> ctx.say(ctx.app.name() + ": " + line));
    String reason = o instanceof RolloutWatch.Outcome.Failed f ? f.reason() : null;
    Map<String, Boolean> ready = new java.util.concurrent.ConcurrentHashMap<>();
    for (String name : records.keySet()) {
      ready.put(name, reason == null || rolledOut(ctx, ctx.objects.workloadName(name, "r1")));
    }
    Map<String, ClusterRelease> done = new java.util.concurrent.ConcurrentHashMap<>();
    each(List.copyOf(records.keySet()), name -> done.put(name, records.get(name).finish(
        ready.get(name) ? RolloutRecord.LIVE : RolloutRecord.FAILED, ready.get(name) ? null : reason)));
    ClusterRelease ordered = done.get(order.service());
    String took = RollingClusterRollout.seconds(started);
    if (reason != null) {
      return new DeployResult(ordered, false, "first deploy of " + ctx.app.name() + " failed after " + took + ": "
          + reason);
    }
    return new DeployResult(ordered, true, order.service() + " r1 is live (" + INSTALL + " of " + services.size()
        + " service" + (services.size() == 1 ? "" : "s") + ", " + took + ")");
  }

  interface Act<T> {
    void on(T item) throws KubernetesException;
  }

  /** Runs {@code act} on every item on virtual threads; the first failure is thrown once all have ended. */
  static <T> void each(List<T> items, Act<T> act) throws KubernetesException, InterruptedException {
    List<java.util.concurrent.Future<?>> running = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (T item : items) {
        running.add(pool.submit(() -> {
          act.on(item);
          return null;
        }));
      }
      for (var f : running) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof KubernetesException k) {
            throw k;
          }
          throw new IllegalStateException(e.getCause());
        }
      }
    }
  }

  private static boolean rolledOut(RunnerContext ctx, String deployment) throws KubernetesException {
    try {
      Deployment d = ctx.client().apps().deployments().inNamespace(ctx.namespace()).withName(deployment).get();
      return d != null && RolloutWatch.rolledOut(d);
    } catch (KubernetesClientException e) {
      throw ctx.error(e, "get", "deployments");
    }
  }
}
