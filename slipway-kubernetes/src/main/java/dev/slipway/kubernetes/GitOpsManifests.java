package dev.slipway.kubernetes;

import dev.slipway.generate.GenerateOptions;
import dev.slipway.generate.KubernetesGenerator;
import dev.slipway.generate.YamlText;
import dev.slipway.model.AppSpec;
import dev.slipway.model.SecretNames;
import dev.slipway.model.SecretSpec;
import dev.slipway.model.ServiceSpec;
import dev.slipway.model.Template;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.Yaml;

/**
 * The files a GitOps environment commits: the objects {@code slipway generate kubernetes} emits for the
 * environment, one file per service ({@code api.yaml}: its ConfigMap, Deployment, Service, Ingress …)
 * and one for what the services share ({@value #SHARED}: the Namespace, the ExternalSecret, the backing
 * services). The same model and images always give the same bytes.
 *
 * <p>The seam: these are the generator's objects with the release's image put in. When
 * {@code ClusterObjects} (per-release strategy objects) is on main, {@link #objects()} and
 * {@link #canary} are the two places to build from it instead.
 */
final class GitOpsManifests {
  /** Service names are DNS labels, so no service file can be called this. */
  static final String SHARED = "_shared.yaml";
  static final String TRACK = "slipway.dev/track";

  private final AppSpec app;
  private final String repo;

  GitOpsManifests(AppSpec app, String repo) {
    this.app = app;
    this.repo = repo;
  }

  static String fileOf(String service) {
    return service + ".yaml";
  }

  /** Every file of the environment, each service with its image from {@code images} (else the model's). */
  Map<String, String> all(Map<String, String> images) {
    Map<String, List<Map<String, Object>>> byFile = split(images);
    Map<String, String> out = new TreeMap<>();
    byFile.forEach((file, objects) -> out.put(file, YamlText.dumpAll(objects)));
    return out;
  }

  /** The shared file. */
  String shared() {
    return YamlText.dumpAll(split(Map.of()).getOrDefault(SHARED, List.of()));
  }

  /** One service's file with {@code image}. */
  String service(String service, String image) {
    return YamlText.dumpAll(split(Map.of(service, image)).get(fileOf(service)));
  }

  /**
   * The service's committed file (its stable release, unchanged) plus a Deployment
   * {@code SERVICE-canary} running {@code image}: the Service selects both, so traffic splits by the
   * ratio of ready pods ({@code weight}% rounded to whole pods, at least one: coarse weights).
   */
  String canary(String stableFile, String service, String image, int weight) {
    List<Object> docs = new ArrayList<>();
    new Yaml().loadAll(stable(stableFile, service)).forEach(d -> {
      if (d != null) {
        docs.add(d);
      }
    });
    Map<String, Object> deployment = deployment(split(Map.of(service, image)).get(fileOf(service)), service);
    int stable = replicas(deployment);
    int canary = Math.max(1, Math.round(stable * weight / (float) Math.max(1, 100 - weight)));
    Map<String, Object> metadata = child(deployment, "metadata");
    metadata.put("name", service + "-canary");
    child(metadata, "labels").put(TRACK, "canary");
    Map<String, Object> spec = child(deployment, "spec");
    spec.put("replicas", canary);
    child(spec, "selector", "matchLabels").put(TRACK, "canary");
    child(spec, "template", "metadata", "labels").put(TRACK, "canary");
    int at = 0;
    for (int i = 0; i < docs.size(); i++) {
      if (docs.get(i) instanceof Map<?, ?> m && "Deployment".equals(m.get("kind"))) {
        at = i + 1;
      }
    }
    docs.add(at, deployment);
    return YamlText.dumpAll(docs);
  }

  /** A committed service file without its canary Deployment: the stable release alone. */
  static String stable(String file, String service) {
    List<Object> docs = new ArrayList<>();
    boolean had = false;
    for (Object d : new Yaml().loadAll(file)) {
      if (d instanceof Map<?, ?> m && "Deployment".equals(m.get("kind")) && m.get("metadata") instanceof Map<?, ?> meta
          && (service + "-canary").equals(meta.get("name"))) {
        had = true;
      } else if (d != null) {
        docs.add(d);
      }
    }
    return had ? YamlText.dumpAll(docs) : file;
  }

  /** The image of the service's container in a committed service file, or null. */
  @SuppressWarnings("unchecked")
  static String image(String file, String service) {
    if (file == null) {
      return null;
    }
    for (Object d : new Yaml().loadAll(file)) {
      if (d instanceof Map<?, ?> m && "Deployment".equals(m.get("kind"))
          && service.equals(((Map<String, Object>) m.get("metadata")).get("name"))) {
        return container(List.of((Map<String, Object>) m), service).get("image").toString();
      }
    }
    return null;
  }

  /** {@code sha256:…} of a service file: what changes when the service's rendered configuration does. */
  static String digest(String file) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(file.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
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

  /** The objects of the environment, images put in, grouped by the file they go to (services in model order). */
  private Map<String, List<Map<String, Object>>> split(Map<String, String> images) {
    Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
    out.put(SHARED, new ArrayList<>());
    app.services().keySet().forEach(s -> out.put(fileOf(s), new ArrayList<>()));
    for (Map<String, Object> o : objects()) {
      String component = (String) child(o, "metadata", "labels").get("app.kubernetes.io/name");
      boolean shared = "Namespace".equals(o.get("kind")) || "ExternalSecret".equals(o.get("kind"))
          || component == null || !app.services().containsKey(component);
      out.get(shared ? SHARED : fileOf(component)).add(o);
      String image = images.get(component);
      if (!shared && image != null && "Deployment".equals(o.get("kind")) && component.equals(child(o, "metadata").get("name"))) {
        container(List.of(o), component).put("image", image);
      }
    }
    return out;
  }

  private List<Map<String, Object>> objects() {
    GenerateOptions options = new GenerateOptions(app.environment(), Map.of(app.environment(), app), false, repo, null);
    return KubernetesGenerator.objects(app, options);
  }

  private static Map<String, Object> deployment(List<Map<String, Object>> objects, String service) {
    for (Map<String, Object> o : objects) {
      if ("Deployment".equals(o.get("kind")) && service.equals(child(o, "metadata").get("name"))) {
        return o;
      }
    }
    throw new IllegalStateException("no Deployment " + service + " among the rendered objects");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> container(List<Map<String, Object>> objects, String service) {
    List<Object> containers = (List<Object>) child(deployment(objects, service), "spec", "template", "spec").get("containers");
    for (Object c : containers) {
      if (c instanceof Map<?, ?> m && service.equals(m.get("name"))) {
        return (Map<String, Object>) m;
      }
    }
    return (Map<String, Object>) containers.getFirst();
  }

  static int replicas(Map<String, Object> deployment) {
    Object r = child(deployment, "spec").get("replicas");
    return r instanceof Number n ? n.intValue() : 1;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> m, String... path) {
    Map<String, Object> cur = m;
    for (String p : path) {
      cur = (Map<String, Object>) cur.get(p);
      if (cur == null) {
        return new LinkedHashMap<>();
      }
    }
    return cur;
  }
}
