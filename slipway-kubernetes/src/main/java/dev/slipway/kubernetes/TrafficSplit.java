package dev.slipway.kubernetes;

import dev.slipway.model.StrategySpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a canary's share of traffic is set on a cluster: one class per mechanism, chosen in the order of
 * preference of {@link #forService}. Every method answers with what the cluster holds afterwards, read
 * back, never with what was asked. Writes are guarded (a JSON patch {@code test} of the part replaced,
 * or an update carrying the read resourceVersion), so a concurrent change by someone else is refused
 * rather than silently overwritten.
 */
interface TrafficSplit {

  /** The stable id of the mechanism: {@code gateway-api}, {@code ingress-nginx}, {@code replicas}. */
  String id();

  /**
   * Sends {@code percent} of {@code service}'s traffic to release {@code canaryId}, the rest to
   * {@code stableId}.
   *
   * @throws KubernetesException when an object is missing, the cluster refuses, or another writer changed it
   */
  Applied set(String service, String stableId, String canaryId, int percent) throws KubernetesException;

  /**
   * Sends all of {@code service}'s traffic to {@code stableId} with one patch of one object (the rollback's
   * first move; tidying that changes no traffic may follow, see each variant).
   */
  Applied restore(String service, String stableId) throws KubernetesException;

  /** What the cluster holds now. */
  Applied read(String service) throws KubernetesException;

  /**
   * The traffic of one service as the cluster holds it.
   *
   * @param mechanism {@link #id()} of what holds it
   * @param weights   percent per release id that gets any traffic (summing to 100 when anything routes)
   * @param replicas  per release id, the Deployments' desired replicas ({@code replicas} mechanism only; else empty)
   * @param coarse    whether weights are only approximated (replica ratios)
   */
  record Applied(String mechanism, Map<String, Integer> weights, Map<String, Integer> replicas, boolean coarse) {
    public Applied {
      Map<String, Integer> routed = new LinkedHashMap<>(weights);
      routed.values().removeIf(w -> w == 0);
      weights = java.util.Collections.unmodifiableMap(routed);
      replicas = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(replicas));
    }

    /** The weight of {@code releaseId}, 0 when it gets nothing. */
    public int weight(String releaseId) {
      return weights.getOrDefault(releaseId, 0);
    }

    /** For status: {@code r2 90% · r3 10%} (with {@code (replicas, coarse)} when approximated). */
    public String describe() {
      String s = weights.entrySet().stream().map(e -> e.getKey() + " " + e.getValue() + "%")
          .collect(Collectors.joining(" · "));
      return coarse ? s + " (replica ratio, coarse)" : s;
    }
  }

  /**
   * The mechanism for {@code service}: the Gateway API when the environment has a {@code gateway} and the
   * service has {@code ingress}; else ingress-nginx's canary Ingress when it has {@code ingress}; else the
   * replica ratio of its releases' Deployments, which can only approximate weights.
   */
  static TrafficSplit forService(KubernetesClient client, ClusterObjects objects, String service) {
    var s = objects.app().service(service);
    if (!(s.strategy() instanceof StrategySpec.Canary)) {
      throw new IllegalArgumentException(service + " is not a canary service: " + s.strategy());
    }
    if (s.ingress() != null && objects.environment() != null && objects.environment().gateway() != null) {
      return new GatewayTrafficSplit(client, objects);
    }
    if (s.ingress() != null) {
      return new NginxTrafficSplit(client, objects);
    }
    return new ReplicaTrafficSplit(client, objects);
  }

  /** A write that may be refused because someone else changed the object since it was read. */
  interface Write {
    Applied run() throws KubernetesException;
  }

  /**
   * Runs {@code write}, and once more (reading afresh) if a guard refused it. For restores: the runner holds
   * the service's Lease, so the other writer is a person or a controller, and traffic back on stable
   * matters more than their edit.
   */
  static Applied retryOnConflict(Write write) throws KubernetesException {
    try {
      return write.run();
    } catch (KubernetesException e) {
      if (e.getCause() instanceof KubernetesClientException k && conflict(k)) {
        return write.run();
      }
      throw e;
    }
  }

  /** Whether the cluster refused a write because a guard failed (a JSON patch test, a stale resourceVersion). */
  static boolean conflict(KubernetesClientException e) {
    return e.getCode() == 409 || e.getCode() == 422;
  }

  static KubernetesException changedMeanwhile(ClusterObjects objects, String what, KubernetesClientException e) {
    return new KubernetesException(what + " was changed by someone else while Slipway was patching it", null,
        objects.namespace(), "see what changed (`kubectl -n " + objects.namespace() + " get " + what.replace(' ', '/')
            + " -o yaml`), then run the command again", KubernetesException.FAILED, e);
  }

  static KubernetesException missing(ClusterObjects objects, String what) {
    return new KubernetesException(what + " does not exist in namespace " + objects.namespace(), null,
        objects.namespace(), "deploy the service first (its first deploy creates it): slipway deploy SERVICE --env ENV",
        KubernetesException.FAILED);
  }

  static KubernetesException failed(ClusterObjects objects, String verb, String what, KubernetesClientException e) {
    return new KubernetesException("the cluster refused to " + verb + " " + what + ": " + e.getMessage(), null,
        objects.namespace(), null, KubernetesException.FAILED, e);
  }
}
