package dev.slipway.kubernetes;

import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Opens a {@code kubernetes} environment of a model. */
public final class ClusterEnvironments {
  private ClusterEnvironments() {}

  /**
   * Connects to the environment's cluster and namespace.
   *
   * @param app      the model with the environment's overlay applied
   * @param env      the environment (its target is {@code kubernetes})
   * @param modelDir the directory of the model file (GitOps clones, relative paths)
   * @param progress where progress lines go ({@code ✓ api r3: 2/2 pods ready})
   * @throws KubernetesException when the cluster cannot be reached or the kubeconfig has no such context
   */
  public static ClusterEnvironment open(AppSpec app, EnvironmentSpec env, Path modelDir, ConnectOptions options,
      Consumer<String> progress) throws KubernetesException {
    if (env.cluster().gitops() != null) {
      return GitOpsEnvironment.open(app, env, modelDir, options, progress);
    }
    return new KubernetesEnvironment(ClusterConnection.open(options, app, env), app, env, RunnerSettings.defaults(),
        progress);
  }
}
