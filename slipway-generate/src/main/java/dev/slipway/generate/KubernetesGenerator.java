package dev.slipway.generate;

import dev.slipway.model.AppSpec;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.model.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code kubernetes} target: plain manifests for one environment, hardened to the Pod Security
 * "restricted" level, written to {@code kubernetes/ENV/APP.yaml}. Secrets appear only as references to
 * the Secret {@code APP-secrets}, which the operator creates, or an ExternalSecret creates from the
 * environment's {@code secretStore}.
 */
public final class KubernetesGenerator implements Generator {
  @Override
  public String id() {
    return "kubernetes";
  }

  @Override
  public Generated generate(AppSpec app, GenerateOptions options) throws GenerateException {
    requireImages(id(), app);
    Map<String, String> files = new TreeMap<>();
    files.put("kubernetes/" + environment(app, options) + "/" + app.name() + ".yaml",
        YamlText.dumpAll(objects(app, options)));
    return new Generated(new TreeMap<>(files), KubernetesReport.lines(app, options));
  }

  /**
   * Every Kubernetes object for {@code app} (loaded with {@code options.environment()}'s overlay), in a
   * stable order, as insertion-ordered maps ready for {@link YamlText}. Namespaced objects carry
   * {@code metadata.namespace}. Used by the Helm and Kustomize generators and by {@link Hardening}.
   *
   * <p>Order: the Namespace; the ExternalSecret (with a {@code secretStore}); per backing service its
   * headless Service, StatefulSet and NetworkPolicy; per service its ConfigMap, Deployment (or Rollout
   * with AnalysisTemplates / preview Service), Service, Ingress (or HTTPRoute with a {@code gateway}),
   * PodDisruptionBudget, HorizontalPodAutoscaler and NetworkPolicy.
   */
  public static List<Map<String, Object>> objects(AppSpec app, GenerateOptions options) {
    String namespace = namespace(app);
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(Kube.object("v1", "Namespace", namespace, null, Kube.labels(app, app.name())));
    Map<String, List<String>> dependents = PolicyObjects.dependents(app);
    for (BackingServiceSpec r : app.resources().values()) {
      if (ClusterEndpoints.inCluster(r)) {
        out.addAll(BackingObjects.objects(app, r, namespace));
        out.add(PolicyObjects.forResource(app, r, namespace, dependents));
      }
    }
    for (ServiceSpec s : app.services().values()) {
      EnvObjects env = EnvObjects.of(app, s);
      add(out, env.configMap(app, s, namespace));
      String kind = "Deployment";
      if (RolloutObjects.applies(s, options)) {
        kind = "Rollout";
        out.addAll(RolloutObjects.objects(app, s, options, env, namespace));
      } else {
        out.add(WorkloadObjects.deployment(app, s, options, env, namespace));
      }
      add(out, NetworkObjects.service(app, s, s.name(), namespace));
      add(out, NetworkObjects.route(app, s, namespace));
      add(out, AvailabilityObjects.podDisruptionBudget(app, s, namespace));
      add(out, AvailabilityObjects.autoscaler(app, s, kind, namespace));
      out.add(PolicyObjects.forService(app, s, namespace, dependents));
    }
    Map<String, Object> externalSecret = SecretObjects.externalSecret(app, SecretObjects.referencedKeys(out), namespace);
    if (externalSecret != null) {
      out.add(1, externalSecret);
    }
    return Kube.copy(out);
  }

  /** The environment's namespace, else the app name. */
  static String namespace(AppSpec app) {
    return app.selectedEnvironment().map(EnvironmentSpec::namespace).orElse(app.name());
  }

  static String environment(AppSpec app, GenerateOptions options) {
    if (options.environment() != null) {
      return options.environment();
    }
    return app.environment() != null ? app.environment() : "default";
  }

  /** A container needs an image; the model's is optional because local targets run {@code run}. */
  static void requireImages(String target, AppSpec app) throws GenerateException {
    for (ServiceSpec s : app.services().values()) {
      if (s.image() == null) {
        throw new GenerateException(target, "services." + s.name() + ".image", "service `" + s.name()
            + "` has no image, so it cannot run in a container",
            "add `image:` to it, e.g. `image: ghcr.io/acme/" + s.name() + "`");
      }
    }
  }

  private static void add(List<Map<String, Object>> out, Map<String, Object> object) {
    if (object != null) {
      out.add(object);
    }
  }
}
