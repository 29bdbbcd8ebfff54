package dev.slipway.generate;

import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.model.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code kubernetes} target: plain manifests for one environment, hardened to the Pod Security
 * "restricted" level, written to {@code kubernetes/ENV/APP.yaml}. Secrets appear only as references to
 * the Secret {@code APP-secrets}, which the operator creates.
 */
public final class KubernetesGenerator implements Generator {
  @Override
  public String id() {
    return "kubernetes";
  }

  @Override
  public Generated generate(AppSpec app, GenerateOptions options) throws GenerateException {
    List<Map<String, Object>> objects = objects(app, options);
    String env = options.environment() != null ? options.environment() : "default";
    Map<String, String> files = new TreeMap<>();
    files.put("kubernetes/" + env + "/" + app.name() + ".yaml", YamlText.dumpAll(objects));
    return new Generated(new TreeMap<>(files), List.of());
  }

  /**
   * Every Kubernetes object for {@code app} (loaded with {@code options.environment()}'s overlay), in a
   * stable order, as insertion-ordered maps ready for {@link YamlText}. Namespaced objects carry
   * {@code metadata.namespace}. Used by the Helm and Kustomize generators and by {@link Hardening}.
   */
  public static List<Map<String, Object>> objects(AppSpec app, GenerateOptions options) {
    String namespace = namespace(app);
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(Kube.object("v1", "Namespace", namespace, null, Kube.labels(app, app.name())));
    for (ServiceSpec s : app.services().values()) {
      EnvObjects env = EnvObjects.of(app, s);
      add(out, env.configMap(app, s, namespace));
      add(out, WorkloadObjects.deployment(app, s, options, env, namespace));
      add(out, NetworkObjects.service(app, s, s.name(), namespace));
      add(out, NetworkObjects.ingress(app, s, namespace));
    }
    return out;
  }

  /** The environment's namespace, else the app name. */
  static String namespace(AppSpec app) {
    return app.selectedEnvironment().map(EnvironmentSpec::namespace).orElse(app.name());
  }

  private static void add(List<Map<String, Object>> out, Map<String, Object> object) {
    if (object != null) {
      out.add(object);
    }
  }
}
