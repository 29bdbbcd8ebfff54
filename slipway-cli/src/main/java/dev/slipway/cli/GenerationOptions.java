package dev.slipway.cli;

import dev.slipway.generate.GenerateOptions;
import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.model.ModelException;
import picocli.CommandLine.Option;

/** The options {@code generate} and {@code lint} share: which environment, and how to generate for it. */
final class GenerationOptions {
  @Option(names = "--env", paramLabel = "ENV",
      description = "Environment to generate for (default: production if the model has it, else its first kubernetes environment).")
  String env;

  @Option(names = "--argo-rollouts", description = "Blue-green and canary services as Argo Rollouts Rollouts with the same steps.")
  boolean argoRollouts;

  @Option(names = "--repo", paramLabel = "URL", description = "Git repository Argo CD / Flux watch (default: a placeholder).")
  String repo;

  @Option(names = "--image-tag", paramLabel = "TAG", description = "Tag for images the model leaves untagged (CI passes the commit SHA).")
  String imageTag;

  /** The model with the chosen environment's overlay applied. */
  AppSpec load(ModelOptions model) {
    if (env == null) {
      env = defaultEnvironment(model.load(null));
    }
    return model.load(env);
  }

  /** Options for {@code app} (as {@link #load} returned it), every environment of the model loaded. */
  GenerateOptions options(AppSpec app) {
    try {
      return GenerateOptions.of(app, argoRollouts, repo, imageTag);
    } catch (ModelException e) {
      throw new ModelOptions.ModelErrors(e);
    }
  }

  private static String defaultEnvironment(AppSpec base) {
    if (base.environments().containsKey("production")) {
      return "production";
    }
    return base.environments().values().stream().filter(e -> e.target() == EnvironmentSpec.TargetKind.KUBERNETES)
        .map(EnvironmentSpec::name).findFirst()
        .orElseThrow(() -> new CliException(2, "the model has no environment to generate for",
            base.environments().isEmpty()
                // with environments declared, `dev` must be one of them (commands use it by default)
                ? "add `environments: { dev: { target: local }, production: { target: kubernetes } }`, or pass --env"
                : "add one under `environments:`, e.g. `production: { target: kubernetes }`, or pass --env"));
  }
}
