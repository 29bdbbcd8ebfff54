package dev.slipway.generate;

import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import java.util.List;

/**
 * What the GitOps and CI generators agree on: which environments live in Kubernetes, where their
 * generated manifests are, which branch each follows ({@code develop} → staging and other
 * non-production environments, {@code main} → production) and which repository holds them.
 */
final class GitOpsEnvironments {
  /** Used when no repository is given; the report says to pass {@code --repo}. */
  static final String PLACEHOLDER_REPOSITORY = "https://github.com/OWNER/REPO.git";

  private GitOpsEnvironments() {}

  /** Environments with {@code target: kubernetes}, in model order. */
  static List<EnvironmentSpec> kubernetes(AppSpec app) {
    return app.environments().values().stream()
        .filter(e -> e.target() == EnvironmentSpec.TargetKind.KUBERNETES).toList();
  }

  /** {@code production}, {@code prod}, {@code prd} and names starting with {@code prod-}. */
  static boolean isProduction(String environment) {
    return environment.equals("production") || environment.equals("prod") || environment.equals("prd")
        || environment.startsWith("prod-") || environment.startsWith("production-");
  }

  /** The branch whose commits the environment runs. */
  static String branch(String environment) {
    return isProduction(environment) ? "main" : "develop";
  }

  static String namespace(AppSpec app, EnvironmentSpec env) {
    return env.namespace() != null ? env.namespace() : app.name();
  }

  /** The Kustomize overlay {@code slipway generate kustomize} writes for the environment. */
  static String overlayPath(String environment) {
    return "kustomize/overlays/" + environment;
  }

  static String repository(GenerateOptions options) {
    return options.gitRepository() != null ? options.gitRepository() : PLACEHOLDER_REPOSITORY;
  }

  /** The report line for the repository: what it is, or that it is a placeholder. */
  static Generated.ReportLine repositoryLine(GenerateOptions options) {
    return options.gitRepository() != null
        ? new Generated.ReportLine("(repository)", "watches " + options.gitRepository(), true)
        : new Generated.ReportLine("(repository)", "placeholder " + PLACEHOLDER_REPOSITORY
            + ": pass --repo URL (the repository the generated files are committed to)", false);
  }

  /** The report line for environments a cluster tool cannot run. */
  static Generated.ReportLine localLine(EnvironmentSpec env, String tool) {
    return new Generated.ReportLine("environments." + env.name(), "not written: target `" + env.target().key()
        + "`, " + tool + " only deploys to Kubernetes; use `slipway up --env " + env.name() + "`", false);
  }
}
