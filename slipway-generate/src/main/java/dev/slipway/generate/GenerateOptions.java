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
 */
public record GenerateOptions(
    String environment,
    Map<String, AppSpec> environments,
    boolean argoRollouts,
    String gitRepository) {
  public GenerateOptions {
    environments = Map.copyOf(environments);
  }

  /** Environment names in a stable order (as written in the model). */
  public List<String> environmentNames(AppSpec app) {
    return List.copyOf(app.environments().keySet());
  }
}
