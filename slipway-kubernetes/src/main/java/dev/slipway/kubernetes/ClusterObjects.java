package dev.slipway.kubernetes;

import dev.slipway.generate.GenerateOptions;
import dev.slipway.generate.KubernetesGenerator;
import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.model.ServiceSpec;
import dev.slipway.model.StrategySpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The objects Slipway applies to an environment: exactly those of {@code slipway generate kubernetes}
 * ({@link KubernetesGenerator#objects}, one source of truth), as fabric8 objects, with what a release and
 * a strategy add. A rolling service keeps its generated Deployment {@code SERVICE}, its pod template
 * labelled with the release. A blue-green or canary service gets one Deployment per release,
 * {@code SERVICE-rN}, whose selector and pods add {@code slipway.dev/release: rN}, a Service
 * {@code SERVICE-rN} for that release alone, and the generated Service {@code SERVICE}, which selects the
 * active release (blue-green) or every release (canary: in-cluster callers split by replica ratio).
 * A canary's public traffic is weighted by the HTTPRoute's backendRefs (with a {@code gateway}) or by an
 * ingress-nginx canary Ingress {@code SERVICE-canary}; see {@link TrafficSplit}.
 *
 * <p>The generated hardening (probes, security contexts, NetworkPolicies, budgets) is never changed:
 * the additions are names, labels, annotations, selectors, images and backends.
 */
final class ClusterObjects {
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String NAME = "app.kubernetes.io/name";
  static final String RELEASE = "slipway.dev/release";
  static final String CONFIG_DIGEST = "slipway.dev/config-digest";
  static final String NGINX_CANARY = "nginx.ingress.kubernetes.io/canary";
  static final String NGINX_CANARY_WEIGHT = "nginx.ingress.kubernetes.io/canary-weight";
  static final String CANARY_INGRESS_SUFFIX = "-canary";

  /** Kinds the fabric8 model has types for; anything else (HTTPRoute, ExternalSecret) stays generic. */
  private static final Set<String> CORE_GROUPS = Set.of("v1", "apps/v1", "networking.k8s.io/v1", "policy/v1",
      "autoscaling/v2");
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final AppSpec app;
  private final EnvironmentSpec env;
  private final String namespace;
  /** The generator's objects, by {@code KIND/NAME}, in the generator's order. */
  private final Map<String, Map<String, Object>> generated = new LinkedHashMap<>();

  /**
   * @param app       the model loaded with {@code env}'s overlay
   * @param env       the environment (its gateway decides HTTPRoute or Ingress)
   * @param namespace the namespace everything goes to (the connection's; normally the environment's)
   */
  ClusterObjects(AppSpec app, EnvironmentSpec env, String namespace) {
    this.app = app;
    this.env = env;
    this.namespace = namespace;
    GenerateOptions options = new GenerateOptions(app.environment(),
        app.environment() == null ? Map.of() : Map.of(app.environment(), app), false, null, null);
    for (Map<String, Object> o : KubernetesGenerator.objects(app, options)) {
      Map<String, Object> metadata = Trees.child(o, "metadata");
      if ("Namespace".equals(o.get("kind"))) {
        metadata.put("name", namespace);
      } else if (metadata.containsKey("namespace")) {
        metadata.put("namespace", namespace);
      }
      generated.put(o.get("kind") + "/" + metadata.get("name"), o);
    }
  }

  AppSpec app() {
    return app;
  }

  EnvironmentSpec environment() {
    return env;
  }

  String namespace() {
    return namespace;
  }

  /** Whether {@code service} runs one Deployment per release (blue-green, canary) rather than one rolling Deployment. */
  boolean perRelease(String service) {
    return !(app.service(service).strategy() instanceof StrategySpec.Rolling);
  }

  /** The name of {@code service}'s objects for one release: {@code api-r3}. */
  static String releaseName(String service, String releaseId) {
    return service + "-" + releaseId;
  }

  /** The name of {@code service}'s Deployment for a release: {@code SERVICE} when rolling, else {@code SERVICE-rN}. */
  String workloadName(String service, String releaseId) {
    return perRelease(service) ? releaseName(service, releaseId) : service;
  }

  /**
   * Everything for the environment's first deploy, in the generator's order (Namespace, ExternalSecret,
   * backing services, then per service its ConfigMap, Deployment, Services, route, budget, autoscaler,
   * NetworkPolicy). Backing services with {@code provider: external} are not in it (the generator runs
   * only in-cluster ones).
   *
   * @param imageByService    every service's resolved image ({@link Images#resolve})
   * @param releaseIdByService every service's first release id ({@code r1})
   */
  List<HasMetadata> install(Map<String, String> imageByService, Map<String, String> releaseIdByService) {
    List<HasMetadata> out = new ArrayList<>();
    for (Map<String, Object> o : generated.values()) {
      String kind = (String) o.get("kind");
      String service = (String) Trees.child(o, "metadata", "labels").get(NAME);
      ServiceSpec s = "Namespace".equals(kind) ? null : app.services().get(service);
      if (s == null || "Namespace".equals(kind)) {
        out.add(convert(o));
        continue;
      }
      String releaseId = require(releaseIdByService, s.name(), "release id");
      switch (kind) {
        case "Deployment" -> out.add(workload(s.name(), releaseId, require(imageByService, s.name(), "image")));
        case "Service" -> {
          out.add(service(s.name(), releaseId));
          if (perRelease(s.name())) {
            out.add(releaseService(s.name(), releaseId));
          }
        }
        case "HTTPRoute", "Ingress" -> out.addAll(routes(s.name(), releaseId));
        case "HorizontalPodAutoscaler" -> out.add(autoscaler(s.name(), releaseId));
        default -> out.add(convert(o));
      }
    }
    return out;
  }

  /**
   * {@code service}'s Deployment for a release: the generated one with {@code image}, labelled with the
   * release and annotated with {@link #configDigest}; named {@code SERVICE-rN} with the release in its
   * selector for blue-green and canary, named {@code SERVICE} with its generated (immutable) selector
   * for rolling.
   */
  Deployment workload(String service, String releaseId, String image) {
    Map<String, Object> d = copy("Deployment", service);
    String digest = configDigest(service);
    releaseMetadata(Trees.child(d, "metadata"), releaseId, digest);
    Map<String, Object> template = Trees.child(d, "spec", "template");
    releaseMetadata(Trees.child(template, "metadata"), releaseId, digest);
    for (Object c : (List<?>) Trees.child(template, "spec").get("containers")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> container = (Map<String, Object>) c;
      if (service.equals(container.get("name"))) {
        container.put("image", image);
      }
    }
    if (perRelease(service)) {
      Trees.child(d, "metadata").put("name", releaseName(service, releaseId));
      Trees.child(d, "spec", "selector", "matchLabels").put(RELEASE, releaseId);
    }
    return SERIALIZATION.convertValue(d, Deployment.class);
  }

  /**
   * The Service {@code SERVICE-rN} in front of one release's pods alone (blue-green preview, HTTPRoute
   * backends, the nginx canary's backend); null for a service without {@code port}.
   */
  io.fabric8.kubernetes.api.model.Service releaseService(String service, String releaseId) {
    Map<String, Object> svc = generated.get("Service/" + service);
    if (svc == null) {
      return null;
    }
    svc = Trees.copy(svc);
    Trees.child(svc, "metadata").put("name", releaseName(service, releaseId));
    releaseMetadata(Trees.child(svc, "metadata"), releaseId, configDigest(service));
    Trees.child(svc, "spec", "selector").put(RELEASE, releaseId);
    return SERIALIZATION.convertValue(svc, io.fabric8.kubernetes.api.model.Service.class);
  }

  /**
   * The generated Service {@code SERVICE}: as generated for rolling and canary (every release's pods),
   * selecting {@code activeReleaseId} for blue-green; null for a service without {@code port}.
   */
  io.fabric8.kubernetes.api.model.Service service(String service, String activeReleaseId) {
    Map<String, Object> svc = generated.get("Service/" + service);
    if (svc == null) {
      return null;
    }
    svc = Trees.copy(svc);
    if (app.service(service).strategy() instanceof StrategySpec.BlueGreen) {
      Trees.child(svc, "spec", "selector").put(RELEASE, activeReleaseId);
    }
    return SERIALIZATION.convertValue(svc, io.fabric8.kubernetes.api.model.Service.class);
  }

  /**
   * The objects that expose {@code service}'s {@code ingress}, all traffic on {@code stableId}: as generated
   * unless it is a canary, whose HTTPRoute gets a weighted backendRef to {@code SERVICE-rN}, or whose
   * Ingress points at {@code SERVICE-rN} beside an ingress-nginx canary Ingress at weight 0. Empty
   * without {@code ingress}.
   */
  List<HasMetadata> routes(String service, String stableId) {
    ServiceSpec s = app.service(service);
    List<HasMetadata> out = new ArrayList<>();
    Map<String, Object> route = generated.get("HTTPRoute/" + service);
    Map<String, Object> ingress = generated.get("Ingress/" + service);
    boolean canary = s.strategy() instanceof StrategySpec.Canary;
    if (route != null) {
      route = Trees.copy(route);
      if (canary) {
        for (Object rule : (List<?>) Trees.child(route, "spec").get("rules")) {
          @SuppressWarnings("unchecked")
          Map<String, Object> r = (Map<String, Object>) rule;
          r.put("backendRefs", GatewayTrafficSplit.backendRefs(service, s.port(), stableId, null, 0));
        }
      }
      out.add(convert(route));
    }
    if (ingress != null) {
      ingress = Trees.copy(ingress);
      if (canary) {
        NginxTrafficSplit.pointAt(ingress, releaseName(service, stableId));
        out.add(convert(ingress));
        Map<String, Object> canaryIngress = Trees.copy(ingress);
        Map<String, Object> metadata = Trees.child(canaryIngress, "metadata");
        metadata.put("name", service + CANARY_INGRESS_SUFFIX);
        Map<String, Object> annotations = new LinkedHashMap<>();
        annotations.put(NGINX_CANARY, "true");
        annotations.put(NGINX_CANARY_WEIGHT, "0");
        metadata.put("annotations", annotations);
        out.add(convert(canaryIngress));
      } else {
        out.add(convert(ingress));
      }
    }
    return out;
  }

  /**
   * {@code service}'s HorizontalPodAutoscaler scaling the Deployment of {@code releaseId} (for a rolling
   * service, {@code SERVICE} as generated); null without {@code autoscaling}.
   */
  HasMetadata autoscaler(String service, String releaseId) {
    Map<String, Object> hpa = generated.get("HorizontalPodAutoscaler/" + service);
    if (hpa == null) {
      return null;
    }
    hpa = Trees.copy(hpa);
    Trees.child(hpa, "spec", "scaleTargetRef").put("name", workloadName(service, releaseId));
    return convert(hpa);
  }

  /**
   * The sha256 (hex) of {@code service}'s rendered configuration: its ConfigMap's data, its container's
   * env (secrets appear there only as {@code secretKeyRef}s, never values), envFrom and resources. Two
   * releases with the same image and digest run the same thing.
   */
  String configDigest(String service) {
    Map<String, Object> parts = new LinkedHashMap<>();
    Map<String, Object> cm = generated.get("ConfigMap/" + service + "-env");
    parts.put("data", cm == null ? Map.of() : cm.get("data"));
    Map<String, Object> d = generated.get("Deployment/" + service);
    for (Object c : (List<?>) Trees.child(d, "spec", "template", "spec").get("containers")) {
      Map<?, ?> container = (Map<?, ?>) c;
      if (service.equals(container.get("name"))) {
        parts.put("env", container.get("env"));
        parts.put("envFrom", container.get("envFrom"));
        parts.put("resources", container.get("resources"));
      }
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(SERIALIZATION.asJson(parts).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** A copy of the generated object {@code KIND/NAME}; it must exist. */
  Map<String, Object> copy(String kind, String name) {
    Map<String, Object> o = generated.get(kind + "/" + name);
    if (o == null) {
      throw new IllegalArgumentException("the model generates no " + kind + " " + name);
    }
    return Trees.copy(o);
  }

  /** The generated objects as maps, each a fresh copy (for the tests' comparison with the generator). */
  List<Map<String, Object>> generatedObjects() {
    return generated.values().stream().map(Trees::copy).toList();
  }

  /** A generator map as a fabric8 object: typed for Kubernetes' own kinds, generic for custom resources. */
  static HasMetadata convert(Map<String, Object> o) {
    if (CORE_GROUPS.contains((String) o.get("apiVersion"))) {
      return SERIALIZATION.unmarshal(SERIALIZATION.asJson(o));
    }
    return SERIALIZATION.convertValue(o, GenericKubernetesResource.class);
  }

  private static void releaseMetadata(Map<String, Object> metadata, String releaseId, String digest) {
    Trees.childOrNew(metadata, "labels").put(RELEASE, releaseId);
    Trees.childOrNew(metadata, "annotations").put(CONFIG_DIGEST, digest);
  }

  private static String require(Map<String, String> byService, String service, String what) {
    String v = byService.get(service);
    if (v == null) {
      throw new IllegalArgumentException("no " + what + " given for service " + service);
    }
    return v;
  }
}
