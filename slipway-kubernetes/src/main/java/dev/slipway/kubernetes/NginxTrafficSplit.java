package dev.slipway.kubernetes;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Canary weights through ingress-nginx: the Ingress {@code SERVICE} sends traffic to the stable release's
 * Service {@code SERVICE-rN}; a second Ingress {@code SERVICE-canary} for the same host and paths, annotated
 * {@code nginx.ingress.kubernetes.io/canary: "true"}, takes {@code canary-weight} percent of it to the
 * canary's Service. A restore to the release the main Ingress already serves is one patch (the weight to
 * 0). A restore to another release first sends everything there through the canary Ingress (weight 100,
 * one patch: traffic has moved), then points the main Ingress there and the weight back to 0, which
 * moves nothing. Exact weights (whole percent).
 */
final class NginxTrafficSplit implements TrafficSplit {
  static final String ID = "ingress-nginx";

  private final KubernetesClient client;
  private final ClusterObjects objects;

  NginxTrafficSplit(KubernetesClient client, ClusterObjects objects) {
    this.client = client;
    this.objects = objects;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Applied set(String service, String stableId, String canaryId, int percent) throws KubernetesException {
    Ingress main = get(service, service);
    if (!ClusterObjects.releaseName(service, stableId).equals(backend(main))) {
      patch(main, pointed(main, service, stableId), null);
    }
    Ingress canary = get(service, canaryName(service));
    patch(canary, pointed(canary, service, canaryId), percent);
    return read(service);
  }

  @Override
  public Applied restore(String service, String stableId) throws KubernetesException {
    return TrafficSplit.retryOnConflict(() -> restoreOnce(service, stableId));
  }

  private Applied restoreOnce(String service, String stableId) throws KubernetesException {
    Ingress main = get(service, service);
    Ingress canary = get(service, canaryName(service));
    String stable = ClusterObjects.releaseName(service, stableId);
    if (stable.equals(backend(main))) {
      if (weight(canary) != 0) {
        patch(canary, null, 0);
      }
      return read(service);
    }
    if (!stable.equals(backend(canary)) || weight(canary) != 100) {
      canary = patch(canary, pointed(canary, service, stableId), 100);
    }
    patch(main, pointed(main, service, stableId), null);
    patch(canary, null, 0);
    return read(service);
  }

  @Override
  public Applied read(String service) throws KubernetesException {
    Ingress main = get(service, service);
    Ingress canary = get(service, canaryName(service));
    Map<String, Integer> raw = new LinkedHashMap<>();
    int w = weight(canary);
    raw.put(GatewayTrafficSplit.releaseOf(service, backend(main)), 100 - w);
    if (w > 0) {
      raw.merge(GatewayTrafficSplit.releaseOf(service, backend(canary)), w, Integer::sum);
    }
    return new Applied(ID, Weights.percent(raw), Map.of(), false);
  }

  /** Points every path of an Ingress (as a generator map) at the Service {@code backendService}. */
  static void pointAt(Map<String, Object> ingress, String backendService) {
    for (Object rule : (List<?>) Trees.child(ingress, "spec").get("rules")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> http = Trees.child((Map<String, Object>) rule, "http");
      for (Object path : (List<?>) http.get("paths")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) path;
        Trees.child(p, "backend", "service").put("name", backendService);
      }
    }
  }

  static String canaryName(String service) {
    return service + ClusterObjects.CANARY_INGRESS_SUFFIX;
  }

  /** The spec of {@code ingress} pointed at release {@code releaseId}'s Service. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> pointed(Ingress ingress, String service, String releaseId) {
    Map<String, Object> tree = ClusterObjects.SERIALIZATION.convertValue(ingress, Map.class);
    pointAt(tree, ClusterObjects.releaseName(service, releaseId));
    return Trees.child(tree, "spec");
  }

  /**
   * One conditional patch: the spec to {@code spec} (when not null) and the canary weight to {@code weight}
   * (when not null), applied only if the spec and annotations are still as read.
   */
  private Ingress patch(Ingress read, Map<String, Object> spec, Integer weight) throws KubernetesException {
    @SuppressWarnings("unchecked")
    Map<String, Object> tree = ClusterObjects.SERIALIZATION.convertValue(read, Map.class);
    JsonPatch patch = new JsonPatch().test("/spec", tree.get("spec"));
    if (spec != null) {
      patch.replace("/spec", spec);
    }
    if (weight != null) {
      patch.test("/metadata/annotations", Trees.child(tree, "metadata", "annotations"))
          .add("/metadata/annotations/" + JsonPatch.escape(ClusterObjects.NGINX_CANARY_WEIGHT), weight.toString());
    }
    String name = read.getMetadata().getName();
    try {
      return ingress(name).patch(JsonPatch.CONTEXT, patch.json());
    } catch (KubernetesClientException e) {
      if (TrafficSplit.conflict(e)) {
        throw TrafficSplit.changedMeanwhile(objects, "ingress " + name, e);
      }
      throw TrafficSplit.failed(objects, "patch", "Ingress " + name, e);
    }
  }

  private Ingress get(String service, String name) throws KubernetesException {
    Ingress in;
    try {
      in = ingress(name).get();
    } catch (KubernetesClientException e) {
      throw TrafficSplit.failed(objects, "read", "Ingress " + name, e);
    }
    if (in == null) {
      throw TrafficSplit.missing(objects, "Ingress " + name + " (of canary service " + service + ")");
    }
    return in;
  }

  private Resource<Ingress> ingress(String name) {
    return client.network().v1().ingresses().inNamespace(objects.namespace()).withName(name);
  }

  /** The Service the Ingress's first path sends to (Slipway writes the same into every path). */
  private static String backend(Ingress in) {
    return in.getSpec().getRules().getFirst().getHttp().getPaths().getFirst().getBackend().getService().getName();
  }

  /** The canary weight in percent; 0 when the annotation is missing or not a number. */
  private static int weight(Ingress canary) {
    Map<String, String> a = canary.getMetadata().getAnnotations();
    String w = a == null ? null : a.get(ClusterObjects.NGINX_CANARY_WEIGHT);
    try {
      return w == null ? 0 : Math.max(0, Math.min(100, Integer.parseInt(w.strip())));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
