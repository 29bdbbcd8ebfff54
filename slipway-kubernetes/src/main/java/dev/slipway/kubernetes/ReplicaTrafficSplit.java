package dev.slipway.kubernetes;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Canary weights without an ingress or gateway: the Service {@code SERVICE} selects the pods of every
 * release, so each release gets traffic in proportion to its ready pods. Coarse: a weight becomes a ratio
 * of whole replicas (10% of 2 replicas is 1 canary pod beside 2 stable ones: 33%), and {@link Applied}
 * says so. Up to 50% the stable Deployment keeps its full size and canary pods are added; above, the
 * canary has the full size and stable shrinks. A restore scales the other releases to 0 in one patch
 * when there is one canary (traffic is then on stable); if stable had shrunk, a second patch gives it
 * back its size, which moves no traffic.
 */
final class ReplicaTrafficSplit implements TrafficSplit {
  static final String ID = "replicas";

  private final KubernetesClient client;
  private final ClusterObjects objects;

  ReplicaTrafficSplit(KubernetesClient client, ClusterObjects objects) {
    this.client = client;
    this.objects = objects;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Applied set(String service, String stableId, String canaryId, int percent) throws KubernetesException {
    int[] n = replicas(full(service), percent);
    // The canary grows before stable shrinks: capacity never dips below the service's size.
    scale(service, canaryId, n[1]);
    scale(service, stableId, n[0]);
    return read(service);
  }

  @Override
  public Applied restore(String service, String stableId) throws KubernetesException {
    return TrafficSplit.retryOnConflict(() -> {
      for (Deployment d : releases(service)) {
        String id = release(d);
        if (!stableId.equals(id) && replicasOf(d) > 0) {
          scale(service, id, 0);
        }
      }
      scale(service, stableId, full(service));
      return read(service);
    });
  }

  @Override
  public Applied read(String service) throws KubernetesException {
    Map<String, Integer> replicas = new LinkedHashMap<>();
    for (Deployment d : releases(service)) {
      replicas.put(release(d), replicasOf(d));
    }
    return new Applied(ID, Weights.percent(replicas), replicas, true);
  }

  /**
   * Stable and canary replicas for {@code percent} of a service of {@code full} replicas: up to 50% stable
   * keeps {@code full} and the canary gets the nearest count (at least 1); above, the canary has
   * {@code full} and stable the nearest count (at least 1 below 100%).
   */
  static int[] replicas(int full, int percent) {
    if (percent <= 0) {
      return new int[] {full, 0};
    }
    if (percent >= 100) {
      return new int[] {0, full};
    }
    if (percent <= 50) {
      return new int[] {full, Math.max(1, (int) Math.round(percent * full / (100.0 - percent)))};
    }
    return new int[] {Math.max(1, (int) Math.round(full * (100.0 - percent) / percent)), full};
  }

  /** The service's size: its replicas, or the autoscaler's minimum. */
  private int full(String service) {
    var s = objects.app().service(service);
    return s.autoscaling() != null ? s.autoscaling().min() : s.replicas();
  }

  /** Sets one release's replicas with one patch, conditional on the count read; no write if it is already so. */
  private void scale(String service, String releaseId, int replicas) throws KubernetesException {
    String name = ClusterObjects.releaseName(service, releaseId);
    Deployment d = client.apps().deployments().inNamespace(objects.namespace()).withName(name).get();
    if (d == null) {
      throw TrafficSplit.missing(objects, "Deployment " + name);
    }
    if (replicasOf(d) == replicas) {
      return;
    }
    JsonPatch patch = new JsonPatch().test("/spec/replicas", replicasOf(d)).replace("/spec/replicas", replicas);
    try {
      client.apps().deployments().inNamespace(objects.namespace()).withName(name)
          .patch(JsonPatch.CONTEXT, patch.json());
    } catch (KubernetesClientException e) {
      if (TrafficSplit.conflict(e)) {
        throw TrafficSplit.changedMeanwhile(objects, "deployment " + name, e);
      }
      throw TrafficSplit.failed(objects, "scale", "Deployment " + name, e);
    }
  }

  /** The service's per-release Deployments, oldest release first. */
  private List<Deployment> releases(String service) throws KubernetesException {
    try {
      return client.apps().deployments().inNamespace(objects.namespace())
          .withLabel(ClusterObjects.NAME, service).withLabel(ClusterObjects.MANAGED_BY, "slipway")
          .withLabel(ClusterObjects.RELEASE).list().getItems().stream()
          .sorted(java.util.Comparator.comparingInt(d -> revision(release(d)))).toList();
    } catch (KubernetesClientException e) {
      throw TrafficSplit.failed(objects, "list", "the Deployments of " + service, e);
    }
  }

  private static String release(Deployment d) {
    return d.getMetadata().getLabels().get(ClusterObjects.RELEASE);
  }

  private static int revision(String releaseId) {
    try {
      return Integer.parseInt(releaseId.substring(1));
    } catch (RuntimeException e) {
      return Integer.MAX_VALUE;
    }
  }

  private static int replicasOf(Deployment d) {
    Integer r = d.getSpec().getReplicas();
    return r == null ? 1 : r;
  }
}
