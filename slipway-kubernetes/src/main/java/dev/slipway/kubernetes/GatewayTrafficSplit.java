package dev.slipway.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Canary weights through the Gateway API: the service's HTTPRoute {@code SERVICE} has, in every rule, a
 * weighted backendRef per release Service ({@code SERVICE-rN}). Exact weights; every change, restore
 * included, is one JSON patch of the route, conditional on its rules being as read.
 */
final class GatewayTrafficSplit implements TrafficSplit {
  static final String ID = "gateway-api";
  /** Named in full, so that the client needs no API discovery (which the mock server does not answer for CRDs). */
  static final ResourceDefinitionContext HTTP_ROUTE = new ResourceDefinitionContext.Builder()
      .withGroup("gateway.networking.k8s.io").withVersion("v1").withKind("HTTPRoute").withPlural("httproutes")
      .withNamespaced(true).build();

  private final KubernetesClient client;
  private final ClusterObjects objects;

  GatewayTrafficSplit(KubernetesClient client, ClusterObjects objects) {
    this.client = client;
    this.objects = objects;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Applied set(String service, String stableId, String canaryId, int percent) throws KubernetesException {
    return write(service, stableId, canaryId, percent);
  }

  @Override
  public Applied restore(String service, String stableId) throws KubernetesException {
    return TrafficSplit.retryOnConflict(() -> write(service, stableId, null, 0));
  }

  @Override
  public Applied read(String service) throws KubernetesException {
    return applied(service, get(service));
  }

  /** The backendRefs of one rule: stable gets {@code 100 - percent}, the canary (when not null) {@code percent}. */
  static List<Object> backendRefs(String service, Integer port, String stableId, String canaryId, int percent) {
    List<Object> refs = new ArrayList<>();
    refs.add(ref(service, port, stableId, 100 - percent));
    if (canaryId != null) {
      refs.add(ref(service, port, canaryId, percent));
    }
    return refs;
  }

  private Applied write(String service, String stableId, String canaryId, int percent) throws KubernetesException {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("percent " + percent);
    }
    return write(get(service), service, stableId, canaryId, percent);
  }

  /** The patch of {@code write}, guarded by the rules as they were in {@code route} (tests pass a stale one). */
  Applied write(GenericKubernetesResource route, String service, String stableId, String canaryId, int percent)
      throws KubernetesException {
    Object rules = route.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec ? spec.get("rules") : null;
    if (!(rules instanceof List<?> list) || list.isEmpty()) {
      throw new KubernetesException("HTTPRoute " + service + " has no rules to weight", null, objects.namespace(),
          "restore it from the model: slipway deploy " + service + " --env ENV", KubernetesException.FAILED);
    }
    Integer port = objects.app().service(service).port();
    JsonPatch patch = new JsonPatch().test("/spec/rules", rules);
    for (int i = 0; i < list.size(); i++) {
      patch.replace("/spec/rules/" + i + "/backendRefs", backendRefs(service, port, stableId, canaryId, percent));
    }
    try {
      return applied(service, resource(service).patch(JsonPatch.CONTEXT, patch.json()));
    } catch (KubernetesClientException e) {
      if (TrafficSplit.conflict(e)) {
        throw TrafficSplit.changedMeanwhile(objects, "httproute " + service, e);
      }
      throw TrafficSplit.failed(objects, "patch", "HTTPRoute " + service, e);
    }
  }

  private GenericKubernetesResource get(String service) throws KubernetesException {
    GenericKubernetesResource route;
    try {
      route = resource(service).get();
    } catch (KubernetesClientException e) {
      throw TrafficSplit.failed(objects, "read", "HTTPRoute " + service, e);
    }
    if (route == null) {
      throw TrafficSplit.missing(objects, "HTTPRoute " + service);
    }
    return route;
  }

  private Resource<GenericKubernetesResource> resource(String service) {
    return client.genericKubernetesResources(HTTP_ROUTE).inNamespace(objects.namespace())
        .withName(service);
  }

  /** The first rule's weights (Slipway writes the same backends into every rule), in percent. */
  private Applied applied(String service, GenericKubernetesResource route) {
    Map<String, Integer> raw = new LinkedHashMap<>();
    if (route.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
        && spec.get("rules") instanceof List<?> rules && !rules.isEmpty()
        && rules.getFirst() instanceof Map<?, ?> rule && rule.get("backendRefs") instanceof List<?> refs) {
      for (Object r : refs) {
        if (r instanceof Map<?, ?> ref) {
          // A backendRef without weight weighs 1 (Gateway API's default).
          int weight = ref.get("weight") instanceof Number n ? n.intValue() : 1;
          raw.merge(releaseOf(service, String.valueOf(ref.get("name"))), weight, Integer::sum);
        }
      }
    }
    return new Applied(ID, Weights.percent(raw), Map.of(), false);
  }

  private static Map<String, Object> ref(String service, Integer port, String releaseId, int weight) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", ClusterObjects.releaseName(service, releaseId));
    if (port != null) {
      m.put("port", port);
    }
    m.put("weight", weight);
    return m;
  }

  /** {@code api-r3} → {@code r3}; a backend that is not a release Service keeps its name. */
  static String releaseOf(String service, String backend) {
    return backend.startsWith(service + "-r") ? backend.substring(service.length() + 1) : backend;
  }
}
