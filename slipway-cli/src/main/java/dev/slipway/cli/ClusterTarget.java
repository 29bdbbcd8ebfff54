package dev.slipway.cli;

import dev.slipway.kubernetes.ClusterEnvironment;
import dev.slipway.kubernetes.ConnectOptions;
import dev.slipway.kubernetes.KubernetesException;
import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A kubernetes environment a command was pointed at ({@code --env staging}), and how to reach it.
 *
 * @param app        the model with the environment's overlay applied
 * @param env        the environment (target {@code kubernetes})
 * @param kubeconfig {@code --kubeconfig}, or null for kubectl's order
 * @param context    {@code --context}, or null for the environment's own (else the current one)
 * @param main       the root command: how clusters are opened, who answers questions
 */
record ClusterTarget(AppSpec app, EnvironmentSpec env, Path kubeconfig, String context, Main main) {
  /**
   * A Lease lives this long without renewal (renewed every third of it): short enough that the next
   * runner takes over soon after a CI job was killed, long enough for a slow API server.
   */
  static final Duration LEASE_TTL = Duration.ofSeconds(15);

  /** The namespace the environment lives in: its {@code namespace:}, else the application's name. */
  String namespace() {
    return env.namespace() != null ? env.namespace() : app.name();
  }

  /** Connects; progress lines go to {@code out} as they come. */
  ClusterEnvironment open(PrintWriter out) throws KubernetesException {
    Consumer<String> progress = line -> {
      out.println(line);
      out.flush();
    };
    return main.clusters.open(app, env, app.baseDir(), new ConnectOptions(kubeconfig, context, runner(), LEASE_TTL),
        progress);
  }

  /** Who runs this command, as a Lease holder and in release records: {@code alice@laptop (pid 4242)}. */
  static String runner() {
    return System.getProperty("user.name", "unknown") + "@" + host() + " (pid " + ProcessHandle.current().pid() + ")";
  }

  private static String host() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      Path etc = Path.of("/etc/hostname");
      if (Files.isReadable(etc)) {
        String name = Files.readString(etc).strip();
        if (!name.isEmpty()) {
          return name;
        }
      }
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost"; // a runner's name is for people to read; an unknown host is no reason to fail
    }
  }

  /** How a kubernetes environment is opened: {@code ClusterEnvironments::open}, or a test's. */
  @FunctionalInterface
  interface Opener {
    ClusterEnvironment open(AppSpec app, EnvironmentSpec env, Path modelDir, ConnectOptions options,
        Consumer<String> progress) throws KubernetesException;
  }
}
