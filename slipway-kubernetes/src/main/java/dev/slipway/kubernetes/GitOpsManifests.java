package dev.slipway.kubernetes;

import dev.slipway.generate.YamlText;
import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.model.SecretNames;
import dev.slipway.model.SecretSpec;
import dev.slipway.model.ServiceSpec;
import dev.slipway.model.StrategySpec;
import dev.slipway.model.Template;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.Yaml;

/**
 * The files a GitOps environment commits: exactly the objects the direct runner applies
 * ({@link ClusterObjects}, built from {@code slipway generate kubernetes}: one source of truth), one file
 * per service ({@code api.yaml}: its ConfigMap, Deployment(s), Services, route, budget, autoscaler,
 * NetworkPolicy) and one for what the services share ({@value #SHARED}: the Namespace, the ExternalSecret,
 * the backing services). A canary's traffic at a weight is rendered as {@link TrafficSplit}'s variant for
 * the service would leave the cluster: HTTPRoute backendRef weights, the ingress-nginx canary Ingress's
 * {@code canary-weight}, or replica counts (coarse). The same model, releases and weight always give the
 * same bytes.
 */
final class GitOpsManifests {
  /** Service names are DNS labels, so no service file can be called this. */
  static final String SHARED = "_shared.yaml";

  /** A release as a committed file runs it: {@code r3} with its image. */
  record Release(String id, String image) {}

  private final AppSpec app;
  private final ClusterObjects objects;

  GitOpsManifests(AppSpec app, EnvironmentSpec env, String namespace) {
    this.app = app;
    this.objects = new ClusterObjects(app, env, namespace);
  }

  static String fileOf(String service) {
    return service + ".yaml";
  }

  /** Every file of the environment's first deploy: each service at its release id and image. */
  Map<String, String> install(Map<String, String> images, Map<String, String> releaseIds) {
    Map<String, List<Object>> byFile = new LinkedHashMap<>();
    for (HasMetadata o : objects.install(images, releaseIds)) {
      byFile.computeIfAbsent(fileFor(o), k -> new ArrayList<>()).add(tree(o));
    }
    Map<String, String> out = new TreeMap<>();
    byFile.forEach((file, docs) -> out.put(file, YamlText.dumpAll(docs)));
    return out;
  }

  /** The shared file (it depends on no service's release). */
  String shared() {
    Map<String, String> images = new LinkedHashMap<>();
    Map<String, String> ids = new LinkedHashMap<>();
    app.services().keySet().forEach(s -> {
      images.put(s, "-");
      ids.put(s, "r0");
    });
    return install(images, ids).getOrDefault(SHARED, "");
  }

  /**
   * {@code service}'s file: {@code stable} alone when {@code candidate} is null; else both releases'
   * Deployments and Services, with {@code weight}% of the traffic to the candidate for a canary (a
   * blue-green candidate is the preview: the Service {@code SERVICE} still selects stable).
   */
  String service(String service, Release stable, Release candidate, int weight) {
    List<Object> docs = new ArrayList<>();
    for (HasMetadata o : serviceObjects(service, stable)) {
      Map<String, Object> t = tree(o);
      docs.add(t);
      if (candidate == null) {
        continue;
      }
      String kind = o.getKind();
      String name = o.getMetadata().getName();
      if ("Deployment".equals(kind)) {
        docs.add(tree(objects.workload(service, candidate.id(), candidate.image())));
      } else if ("Service".equals(kind) && name.equals(ClusterObjects.releaseName(service, stable.id()))) {
        docs.add(tree(objects.releaseService(service, candidate.id())));
      }
    }
    if (candidate != null && canary(service)) {
      weigh(docs, service, stable, candidate, weight);
    }
    return YamlText.dumpAll(docs);
  }

  /** The config digest the release objects carry ({@code slipway.dev/config-digest}). */
  String configDigest(String service) {
    return objects.configDigest(service);
  }

  /** The id of the traffic mechanism a canary of {@code service} uses ({@link TrafficSplit#forService}). */
  String mechanism(String service) {
    return TrafficSplit.forService(null, objects, service).id();
  }

  /** Whether {@code service} runs one Deployment per release named {@code SERVICE-rN}. */
  boolean perRelease(String service) {
    return objects.perRelease(service);
  }

  String workloadName(String service, String releaseId) {
    return objects.workloadName(service, releaseId);
  }

  private boolean canary(String service) {
    return app.service(service).strategy() instanceof StrategySpec.Canary;
  }

  private List<HasMetadata> serviceObjects(String service, Release stable) {
    Map<String, String> images = new LinkedHashMap<>();
    Map<String, String> ids = new LinkedHashMap<>();
    app.services().keySet().forEach(s -> {
      images.put(s, "-");
      ids.put(s, "r0");
    });
    images.put(service, stable.image());
    ids.put(service, stable.id());
    return objects.install(images, ids).stream().filter(o -> fileOf(service).equals(fileFor(o))).toList();
  }

  /** Puts {@code weight}% on the candidate as the service's {@link TrafficSplit} variant would. */
  @SuppressWarnings("unchecked")
  private void weigh(List<Object> docs, String service, Release stable, Release candidate, int weight) {
    ServiceSpec s = app.service(service);
    switch (mechanism(service)) {
      case GatewayTrafficSplit.ID -> docs.stream().map(d -> (Map<String, Object>) d)
          .filter(d -> "HTTPRoute".equals(d.get("kind")) && service.equals(Trees.name(d)))
          .forEach(route -> {
            for (Object rule : (List<?>) Trees.child(route, "spec").get("rules")) {
              ((Map<String, Object>) rule).put("backendRefs",
                  GatewayTrafficSplit.backendRefs(service, s.port(), stable.id(), candidate.id(), weight));
            }
          });
      case NginxTrafficSplit.ID -> docs.stream().map(d -> (Map<String, Object>) d)
          .filter(d -> "Ingress".equals(d.get("kind")) && NginxTrafficSplit.canaryName(service).equals(Trees.name(d)))
          .forEach(ingress -> {
            NginxTrafficSplit.pointAt(ingress, ClusterObjects.releaseName(service, candidate.id()));
            Trees.child(ingress, "metadata", "annotations").put(ClusterObjects.NGINX_CANARY_WEIGHT,
                Integer.toString(weight));
          });
      default -> {
        int full = s.autoscaling() != null ? s.autoscaling().min() : s.replicas();
        int[] n = ReplicaTrafficSplit.replicas(full, weight);
        docs.stream().map(d -> (Map<String, Object>) d).filter(d -> "Deployment".equals(d.get("kind")))
            .forEach(d -> {
              String id = (String) Trees.child(d, "metadata", "labels").get(ClusterObjects.RELEASE);
              Trees.child(d, "spec").put("replicas", id.equals(candidate.id()) ? n[1] : n[0]);
            });
      }
    }
  }

  /**
   * The releases whose Deployments a committed service file holds, in file order (the stable one first),
   * each with the image of the service's container.
   */
  @SuppressWarnings("unchecked")
  static List<Release> releases(String file, String service) {
    List<Release> out = new ArrayList<>();
    for (Map<String, Object> d : docs(file)) {
      Map<String, Object> labels = Trees.child(d, "metadata", "labels");
      if ("Deployment".equals(d.get("kind")) && labels != null && service.equals(labels.get(ClusterObjects.NAME))) {
        Map<String, Object> podLabels = Trees.child(d, "spec", "template", "metadata", "labels");
        Object id = podLabels == null ? null : podLabels.get(ClusterObjects.RELEASE);
        String image = null;
        for (Object c : (List<Object>) Trees.child(d, "spec", "template", "spec").get("containers")) {
          if (c instanceof Map<?, ?> m && service.equals(m.get("name"))) {
            image = String.valueOf(m.get("image"));
          }
        }
        out.add(new Release(id == null ? null : id.toString(), image));
      }
    }
    return out;
  }

  /**
   * The traffic a committed canary file asks for, as {@link TrafficSplit#read} would report it once
   * applied; null when the file routes to one release only.
   */
  @SuppressWarnings("unchecked")
  static TrafficSplit.Applied traffic(String file, String service) {
    List<Map<String, Object>> docs = docs(file);
    Map<String, Integer> raw = new LinkedHashMap<>();
    for (Map<String, Object> d : docs) {
      if ("HTTPRoute".equals(d.get("kind")) && service.equals(Trees.name(d))
          && Trees.child(d, "spec").get("rules") instanceof List<?> rules && !rules.isEmpty()
          && ((Map<String, Object>) rules.getFirst()).get("backendRefs") instanceof List<?> refs) {
        for (Object r : refs) {
          Map<String, Object> ref = (Map<String, Object>) r;
          raw.merge(GatewayTrafficSplit.releaseOf(service, String.valueOf(ref.get("name"))),
              ref.get("weight") instanceof Number n ? n.intValue() : 1, Integer::sum);
        }
        return raw.size() < 2 ? null : new TrafficSplit.Applied(GatewayTrafficSplit.ID, Weights.percent(raw), Map.of(), false);
      }
    }
    String mainBackend = null;
    String canaryBackend = null;
    int weight = 0;
    for (Map<String, Object> d : docs) {
      if ("Ingress".equals(d.get("kind"))) {
        String backend = backend(d);
        if (NginxTrafficSplit.canaryName(service).equals(Trees.name(d))) {
          canaryBackend = backend;
          Object w = Trees.child(d, "metadata", "annotations").get(ClusterObjects.NGINX_CANARY_WEIGHT);
          weight = w == null ? 0 : Integer.parseInt(w.toString());
        } else if (service.equals(Trees.name(d))) {
          mainBackend = backend;
        }
      }
    }
    if (canaryBackend != null) {
      if (weight == 0) {
        return null;
      }
      raw.put(GatewayTrafficSplit.releaseOf(service, mainBackend), 100 - weight);
      raw.merge(GatewayTrafficSplit.releaseOf(service, canaryBackend), weight, Integer::sum);
      return new TrafficSplit.Applied(NginxTrafficSplit.ID, Weights.percent(raw), Map.of(), false);
    }
    Map<String, Integer> replicas = new LinkedHashMap<>();
    for (Map<String, Object> d : docs) {
      Map<String, Object> labels = Trees.child(d, "metadata", "labels");
      if ("Deployment".equals(d.get("kind")) && labels != null && service.equals(labels.get(ClusterObjects.NAME))
          && labels.get(ClusterObjects.RELEASE) != null) {
        replicas.put(labels.get(ClusterObjects.RELEASE).toString(), GitOpsManifests.replicas(d));
      }
    }
    return replicas.size() < 2 ? null
        : new TrafficSplit.Applied(ReplicaTrafficSplit.ID, Weights.percent(replicas), replicas, true);
  }

  /**
   * Values that must never be committed: literal secrets written in the model's env and the values of
   * its declared {@code env:} secrets in this process. The generator writes only references; this is
   * the check that it stays so.
   */
  Set<String> secretValues() {
    Set<String> out = new LinkedHashSet<>();
    for (ServiceSpec s : app.services().values()) {
      for (Map.Entry<String, Template> e : s.env().entrySet()) {
        if (SecretNames.isLiteralSecret(e.getKey(), e.getValue())) {
          out.add(e.getValue().raw());
        }
      }
    }
    for (SecretSpec secret : app.secrets().values()) {
      if (secret.source() instanceof SecretSpec.FromEnv env && System.getenv(env.variable()) != null) {
        out.add(System.getenv(env.variable()));
      }
    }
    out.removeIf(v -> v.strip().length() < 4);
    return out;
  }

  /** The file an object goes to: its service's, else the shared one (Namespace, ExternalSecret, backing services). */
  private String fileFor(HasMetadata o) {
    Map<String, String> labels = o.getMetadata().getLabels();
    String component = labels == null ? null : labels.get(ClusterObjects.NAME);
    boolean shared = "Namespace".equals(o.getKind()) || "ExternalSecret".equals(o.getKind())
        || component == null || !app.services().containsKey(component);
    return shared ? SHARED : fileOf(component);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> tree(HasMetadata o) {
    return ClusterObjects.SERIALIZATION.convertValue(o, Map.class);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> docs(String file) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (file != null) {
      for (Object d : new Yaml().loadAll(file)) {
        if (d instanceof Map<?, ?> m) {
          out.add((Map<String, Object>) m);
        }
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static String backend(Map<String, Object> ingress) {
    Map<String, Object> rule = (Map<String, Object>) ((List<?>) Trees.child(ingress, "spec").get("rules")).getFirst();
    Map<String, Object> path = (Map<String, Object>) ((List<?>) Trees.child(rule, "http").get("paths")).getFirst();
    return String.valueOf(Trees.child(path, "backend", "service").get("name"));
  }

  static int replicas(Map<String, Object> deployment) {
    Object r = Trees.child(deployment, "spec").get("replicas");
    return r instanceof Number n ? n.intValue() : 1;
  }
}
