package dev.slipway.kubernetes.sim;

import dev.slipway.kubernetes.sim.WorkQueue.Key;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Gateway API controller for {@code HTTPRoute}s: each parent in {@code spec.parentRefs} gets a
 * status entry with {@code Accepted=True} at the route's generation (how a runner tells its patch
 * was taken) and {@code ResolvedRefs}, false with {@code BackendNotFound} while a backend Service
 * is missing. Weights are not enforced: no traffic flows through the mock.
 */
final class RouteController {

  static final String CONTROLLER = "slipway.dev/sim-gateway";

  private final KubernetesClient client;
  private final ResourceDefinitionContext routes;
  private final Counters counters;

  RouteController(KubernetesClient client, ResourceDefinitionContext routes, Counters counters) {
    this.client = client;
    this.routes = routes;
    this.counters = counters;
  }

  @SuppressWarnings("unchecked")
  void reconcile(Key key) {
    var ops = client.genericKubernetesResources(routes).inNamespace(key.namespace());
    GenericKubernetesResource route = ops.withName(key.name()).get();
    if (route == null) {
      return;
    }
    Map<String, Object> spec = (Map<String, Object>) route.getAdditionalProperties().getOrDefault("spec", Map.of());
    List<Map<String, Object>> parentRefs = (List<Map<String, Object>>) spec.getOrDefault("parentRefs", List.of());
    String missing = missingBackend(key.namespace(), spec);
    Long generation = route.getMetadata().getGeneration();
    Map<String, Object> oldStatus = (Map<String, Object>) route.getAdditionalProperties().get("status");
    List<Map<String, Object>> parents = new ArrayList<>();
    for (Map<String, Object> ref : parentRefs) {
      List<Map<String, Object>> conditions = new ArrayList<>();
      conditions.add(condition(oldStatus, ref, "Accepted", true, "Accepted", "Route is accepted", generation));
      conditions.add(
          missing == null
              ? condition(oldStatus, ref, "ResolvedRefs", true, "ResolvedRefs", "Resolved all the Object references for the Route", generation)
              : condition(oldStatus, ref, "ResolvedRefs", false, "BackendNotFound", "Service \"" + missing + "\" not found", generation));
      Map<String, Object> parent = new LinkedHashMap<>();
      parent.put("parentRef", ref);
      parent.put("controllerName", CONTROLLER);
      parent.put("conditions", conditions);
      parents.add(parent);
    }
    Map<String, Object> want = Map.of("parents", parents);
    if (!Sim.json(want).equals(Sim.json(oldStatus))) {
      route.setAdditionalProperty("status", want);
      ops.resource(route).updateStatus();
      counters.add("status.HTTPRoute");
    }
  }

  @SuppressWarnings("unchecked")
  private String missingBackend(String namespace, Map<String, Object> spec) {
    for (Map<String, Object> rule : (List<Map<String, Object>>) spec.getOrDefault("rules", List.of())) {
      for (Map<String, Object> backend : (List<Map<String, Object>>) rule.getOrDefault("backendRefs", List.of())) {
        Object kind = backend.getOrDefault("kind", "Service");
        String ns = (String) backend.getOrDefault("namespace", namespace);
        String name = (String) backend.get("name");
        if ("Service".equals(kind) && name != null && client.services().inNamespace(ns).withName(name).get() == null) {
          return name;
        }
      }
    }
    return null;
  }

  /** A condition that keeps its transition time while its status stays the same for that parent. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> condition(
      Map<String, Object> oldStatus, Map<String, Object> ref, String type, boolean value, String reason, String message, Long generation) {
    String status = value ? "True" : "False";
    String since = Sim.time(java.time.Instant.now());
    if (oldStatus != null) {
      for (Map<String, Object> parent : (List<Map<String, Object>>) oldStatus.getOrDefault("parents", List.of())) {
        if (!Objects.equals(parent.get("parentRef"), ref)) {
          continue;
        }
        for (Map<String, Object> c : (List<Map<String, Object>>) parent.getOrDefault("conditions", List.of())) {
          if (type.equals(c.get("type")) && status.equals(c.get("status"))) {
            since = (String) c.get("lastTransitionTime");
          }
        }
      }
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("type", type);
    c.put("status", status);
    c.put("reason", reason);
    c.put("message", message);
    c.put("observedGeneration", generation);
    c.put("lastTransitionTime", since);
    return c;
  }
}
