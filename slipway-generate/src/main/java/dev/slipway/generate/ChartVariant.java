package dev.slipway.generate;

import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.model.ModelException;
import dev.slipway.model.ModelLoader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One rendering the Helm chart must reproduce: the base model ({@code values.yaml}, key {@code ""}) or
 * one kubernetes environment ({@code values-ENV.yaml}, key = the environment name).
 *
 * @param key       {@code ""} for the base model, else the environment name
 * @param app       the model with that environment's overlay
 * @param namespace the namespace the kubernetes target puts it in
 * @param objects   the kubernetes target's objects (with the number types YAML reads back, so values
 *                  compare exactly as Helm's output will)
 */
record ChartVariant(String key, AppSpec app, String namespace, List<Map<String, Object>> objects) {
  static final String BASE = "";

  boolean base() {
    return key.equals(BASE);
  }

  /** The base model first, then every kubernetes environment in model order. */
  static List<ChartVariant> all(AppSpec app, GenerateOptions options) {
    List<ChartVariant> out = new ArrayList<>();
    List<String> kubernetes = new ArrayList<>();
    for (EnvironmentSpec e : app.environments().values()) {
      if (e.target() == EnvironmentSpec.TargetKind.KUBERNETES) {
        kubernetes.add(e.name());
      }
    }
    AppSpec base = base(app);
    if (base == null) {
      // The base model cannot be read back (a model given as text): the first environment is the default.
      base = kubernetes.isEmpty() ? app : environment(app, options, kubernetes.getFirst());
    }
    out.add(of(BASE, base, null, options));
    for (String env : kubernetes) {
      AppSpec e = environment(app, options, env);
      if (e != null) {
        out.add(of(env, e, env, options));
      }
    }
    return out;
  }

  private static AppSpec environment(AppSpec app, GenerateOptions options, String env) {
    AppSpec e = options.environments().get(env);
    return e == null && env.equals(app.environment()) ? app : e;
  }

  private static AppSpec base(AppSpec app) {
    if (app.environment() == null) {
      return app;
    }
    if (app.file() == null || !Files.isRegularFile(app.file())) {
      return null;
    }
    try {
      return ModelLoader.load(app.file(), null);
    } catch (ModelException e) {
      return null;
    }
  }

  private static ChartVariant of(String key, AppSpec app, String environment, GenerateOptions options) {
    GenerateOptions forEnv = new GenerateOptions(environment, options.environments(), options.argoRollouts(),
        options.gitRepository(), options.imageTag());
    // objects() returns fresh trees with the number types YAML reads back (Kube.copy).
    return new ChartVariant(key, app, KubernetesGenerator.namespace(app), KubernetesGenerator.objects(app, forEnv));
  }
}
