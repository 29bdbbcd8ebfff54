package dev.slipway.generate;

import dev.slipway.model.AppSpec;
import java.util.List;
import java.util.Map;

/**
 * What a generator needs besides the model.
 *
 * @param environment   the environment generated for ({@code production}); its overlay is already applied
 * @param environments  every environment of the model, each loaded with its own overlay, for targets
 *                      that write one file per environment (Helm values-ENV.yaml, Kustomize overlays,
 *                      Argo CD applications, workflows)
 * @param argoRollouts  emit blue-green and canary services as Argo Rollouts {@code Rollout}s
 * @param gitRepository the repository GitOps tools watch (default: a placeholder the report mentions)
 * @param imageTag      tag for every service image that has none in the model (CI passes the commit's);
 *                      null leaves such images untagged, which {@code slipway lint} reports
 */
public record GenerateOptions(
    String environment,
    Map<String, AppSpec> environments,
    boolean argoRollouts,
    String gitRepository,
    String imageTag) {
  public GenerateOptions {
    environments = Map.copyOf(environments);
  }

  /** {@code service}'s image with its tag: the model's own tag, else {@link #imageTag}; null if it has no image. */
  public String image(dev.slipway.model.ServiceSpec service) {
    String image = service.image();
    if (image == null) {
      return null;
    }
    int slash = image.lastIndexOf('/');
    boolean tagged = image.indexOf(':', slash + 1) >= 0 || image.contains("@sha256:");
    return tagged || imageTag == null ? image : image + ":" + imageTag;
  }

  /**
   * Options for {@code app}'s environment, with every other environment of its model loaded with its
   * own overlay (from {@code app.file()}; {@code app} itself serves for its own environment).
   *
   * @throws dev.slipway.model.ModelException when another environment's overlay is invalid
   */
  public static GenerateOptions of(AppSpec app, boolean argoRollouts, String gitRepository, String imageTag) {
    Map<String, AppSpec> all = new java.util.LinkedHashMap<>();
    for (String name : app.environments().keySet()) {
      all.put(name, name.equals(app.environment()) ? app : dev.slipway.model.ModelLoader.load(app.file(), name));
    }
    return new GenerateOptions(app.environment(), all, argoRollouts, gitRepository, imageTag);
  }

  /** Environment names in a stable order (as written in the model). */
  public List<String> environmentNames(AppSpec app) {
    return List.copyOf(app.environments().keySet());
  }
}
