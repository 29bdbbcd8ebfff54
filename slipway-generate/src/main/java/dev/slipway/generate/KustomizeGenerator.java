package dev.slipway.generate;

import static dev.slipway.generate.Kube.list;
import static dev.slipway.generate.Kube.map;

import dev.slipway.generate.Generated.ReportLine;
import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code kustomize} target: {@code kustomize/base/} holds the objects of the first Kubernetes
 * environment without a namespace; {@code kustomize/overlays/ENV/} sets each Kubernetes environment's
 * namespace and patches only its differences ({@code replicas:}, {@code images:}, JSON patches that
 * replace whole lists, added or deleted objects). {@code kubectl kustomize overlays/ENV} builds the
 * same objects as {@code slipway generate kubernetes --env ENV}.
 */
public final class KustomizeGenerator implements Generator {
  static final String API = "kustomize.config.k8s.io/v1beta1";

  @Override
  public String id() {
    return "kustomize";
  }

  @Override
  public Generated generate(AppSpec app, GenerateOptions options) throws GenerateException {
    KubernetesGenerator.requireImages(id(), app);
    List<String> envs = kubernetesEnvironments(app);
    String baseEnv = envs.isEmpty() ? options.environment() : envs.getFirst();
    Map<String, Map<String, Object>> base = byId(objectsFor(app, options, baseEnv));
    Map<String, String> files = new TreeMap<>();
    files.put("kustomize/base/kustomization.yaml", YamlText.dump(map("apiVersion", API, "kind", "Kustomization",
        "resources", list(app.name() + ".yaml"))));
    files.put("kustomize/base/" + app.name() + ".yaml", YamlText.dumpAll(List.copyOf(base.values())));
    List<ReportLine> report = new ArrayList<>();
    report.add(new ReportLine("environments", "base/ from environment " + baseEnv
        + "; one overlay per kubernetes environment: " + String.join(", ", envs), true));
    for (String env : envs) {
      AppSpec envApp = options.environments().getOrDefault(env, app);
      KustomizeOverlay overlay = KustomizeOverlay.of(base, objectsFor(app, options, env));
      String dir = "kustomize/overlays/" + env + "/";
      files.put(dir + "kustomization.yaml", YamlText.dump(overlay.kustomization(KubernetesGenerator.namespace(envApp))));
      files.put(dir + "namespace.yaml", YamlText.dump(namespaceObject(envApp, options, env)));
      overlay.files().forEach((name, text) -> files.put(dir + name, text));
      report.add(new ReportLine("environments." + env, overlay.summary(), true));
    }
    return new Generated(new TreeMap<>(files), report);
  }

  static List<String> kubernetesEnvironments(AppSpec app) {
    return app.environments().values().stream().filter(e -> e.target() == EnvironmentSpec.TargetKind.KUBERNETES)
        .map(EnvironmentSpec::name).toList();
  }

  private static List<Map<String, Object>> objectsFor(AppSpec app, GenerateOptions options, String env) {
    AppSpec envApp = env == null ? app : options.environments().getOrDefault(env, app);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> o : KubernetesGenerator.objects(envApp, withEnvironment(options, env))) {
      if (!"Namespace".equals(Kube.kind(o))) {
        Kube.child(o, "metadata").remove("namespace");
        out.add(o);
      }
    }
    return out;
  }

  private static Map<String, Object> namespaceObject(AppSpec envApp, GenerateOptions options, String env) {
    return KubernetesGenerator.objects(envApp, withEnvironment(options, env)).getFirst();
  }

  private static GenerateOptions withEnvironment(GenerateOptions o, String env) {
    return new GenerateOptions(env, o.environments(), o.argoRollouts(), o.gitRepository(), o.imageTag());
  }

  /** Objects by {@code apiVersion/kind/name}, in order. */
  static Map<String, Map<String, Object>> byId(List<Map<String, Object>> objects) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (Map<String, Object> o : objects) {
      out.put(o.get("apiVersion") + "/" + Kube.kind(o) + "/" + Kube.name(o), o);
    }
    return out;
  }
}
