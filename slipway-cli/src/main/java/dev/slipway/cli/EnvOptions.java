package dev.slipway.cli;

import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --env}, {@code --kubeconfig}, {@code --context}: which environment a command acts on. An
 * environment whose target is {@code kubernetes} is driven by this process through its cluster's API
 * (decision 0018); any other, or none given, is the local stack's, exactly as before.
 */
final class EnvOptions {
  @Option(names = "--env", paramLabel = "ENV",
      description = "The environment. A kubernetes one is driven on its cluster; a local one must be the one running (default: it).")
  String env;

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "Kubernetes environments: the kubeconfig (default: $KUBECONFIG, ~/.kube/config, the in-cluster service account).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME",
      description = "Kubernetes environments: the kubeconfig context (default: the environment's `context:`, else the current one).")
  String context;

  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec mixee;

  /**
   * The kubernetes environment named by {@code --env}, with its overlay applied; empty for the local
   * path (no {@code --env}, or a local one). Loading the model reports its errors (exit 2), an unknown
   * environment among them.
   */
  Optional<ClusterTarget> cluster(ModelOptions model) {
    if (env == null) {
      refuseClusterOptions("no --env was given", null);
      return Optional.empty();
    }
    AppSpec app = model.load(env);
    EnvironmentSpec spec = app.selectedEnvironment().orElse(null);
    if (spec == null || spec.target() != EnvironmentSpec.TargetKind.KUBERNETES) {
      refuseClusterOptions("environment `" + env + "` targets " + (spec == null ? "local" : spec.target().key()),
          app);
      return Optional.empty();
    }
    return Optional.of(new ClusterTarget(app, spec, kubeconfig, context, main()));
  }

  /** {@link #cluster} for a command that also works locally, checking {@code --env} against the running stack. */
  void checkLocal(ControlPlaneClient client) {
    if (env != null && !env.equals(client.info().environment())) {
      throw new CliException(2, "the running stack is environment `" + client.info().environment() + "`, not `" + env
          + "`", "name the environment that runs, or start `" + env + "` with `slipway up --env " + env + "`");
    }
  }

  private void refuseClusterOptions(String why, AppSpec app) {
    String given = kubeconfig != null ? "--kubeconfig" : context != null ? "--context" : null;
    if (given == null) {
      return;
    }
    String clusters = app == null ? "" : app.environments().values().stream()
        .filter(e -> e.target() == EnvironmentSpec.TargetKind.KUBERNETES).map(EnvironmentSpec::name)
        .reduce((a, b) -> a + ", " + b).map(names -> " (here: " + names + ")").orElse("");
    throw new CliException(2, given + " is for kubernetes environments, and " + why,
        "name one with `--env ENV`" + clusters + ", or leave " + given + " out");
  }

  /** The root command's object: how clusters are opened and who answers questions (tests set their own). */
  private Main main() {
    CommandLine.Model.CommandSpec root = mixee == null ? null : mixee.root();
    return root != null && root.userObject() instanceof Main m ? m : new Main();
  }
}
