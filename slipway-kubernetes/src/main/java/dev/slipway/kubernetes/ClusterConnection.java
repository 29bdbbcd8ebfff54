package dev.slipway.kubernetes;

import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cluster and namespace of one environment, reached the way kubectl reaches it: the kubeconfig
 * from {@code --kubeconfig}, else {@code KUBECONFIG}, else {@code ~/.kube/config}, else the in-cluster
 * service account; the context from {@code --context}, else the environment's {@code context:}, else
 * the kubeconfig's current one. Opening is cheap (no request); {@link #check()} contacts the server
 * once so that an unreachable cluster or refused credentials show before any work starts.
 */
final class ClusterConnection implements AutoCloseable {
  static final String SERVICE_ACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

  private final KubernetesClient client;
  private final String context;
  private final String namespace;
  private final String server;
  private final ConnectOptions options;

  private ClusterConnection(KubernetesClient client, String context, String namespace, String server,
      ConnectOptions options) {
    this.client = client;
    this.context = context;
    this.namespace = namespace;
    this.server = server;
    this.options = options;
  }

  /** Connects as kubectl would with this process's environment and home directory. */
  static ClusterConnection open(ConnectOptions o, AppSpec app, EnvironmentSpec env) throws KubernetesException {
    return open(o, app, env, System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /** As {@link #open(ConnectOptions, AppSpec, EnvironmentSpec)}, with the environment variables and home given. */
  static ClusterConnection open(ConnectOptions o, AppSpec app, EnvironmentSpec env, Map<String, String> environ,
      Path home) throws KubernetesException {
    String namespace = env.namespace() != null ? env.namespace() : app.name();
    String wanted = o.context() != null ? o.context() : env.cluster().context();
    Config config = config(o, wanted, namespace, environ, home);
    config.setNamespace(namespace);
    // An unreachable server should say so within a second, not after ten exponential retries.
    config.setRequestRetryBackoffLimit(2);
    config.setRequestRetryBackoffInterval(100);
    String context = config.getCurrentContext() != null ? config.getCurrentContext().getName() : wanted;
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    return new ClusterConnection(client, context, namespace, config.getMasterUrl(), o);
  }

  /** A connection over a client made elsewhere (the tests' mock server). */
  static ClusterConnection of(KubernetesClient client, String context, String namespace, ConnectOptions options) {
    return new ClusterConnection(client, context, namespace, client.getConfiguration().getMasterUrl(), options);
  }

  private static Config config(ConnectOptions o, String wanted, String namespace, Map<String, String> environ,
      Path home) throws KubernetesException {
    List<String> looked = new ArrayList<>();
    List<File> files = new ArrayList<>();
    if (o.kubeconfig() != null) {
      if (!Files.isRegularFile(o.kubeconfig())) {
        throw new KubernetesException("--kubeconfig " + o.kubeconfig() + ": no such file", wanted, namespace,
            "give the path of a kubeconfig file, or leave --kubeconfig out to use KUBECONFIG or ~/.kube/config",
            KubernetesException.BAD_INPUT);
      }
      files.add(o.kubeconfig().toFile());
    } else {
      looked.add("--kubeconfig (not given)");
      String list = environ.get("KUBECONFIG");
      if (list != null && !list.isBlank()) {
        for (String p : list.split(File.pathSeparator)) {
          if (!p.isBlank() && Files.isRegularFile(Path.of(p))) {
            files.add(new File(p));
          }
        }
        looked.add("KUBECONFIG=" + list + (files.isEmpty() ? " (no such file)" : ""));
      } else {
        looked.add("KUBECONFIG (not set)");
      }
      if (files.isEmpty() && (list == null || list.isBlank())) {
        Path dflt = home.resolve(".kube").resolve("config");
        if (Files.isRegularFile(dflt)) {
          files.add(dflt.toFile());
        } else {
          looked.add(dflt + " (no such file)");
        }
      }
    }
    if (files.isEmpty()) {
      if (environ.get("KUBERNETES_SERVICE_HOST") != null && Files.isRegularFile(Path.of(SERVICE_ACCOUNT, "token"))) {
        return Config.autoConfigure(wanted);
      }
      looked.add("the in-cluster service account (" + SERVICE_ACCOUNT + ": not running in a pod)");
      throw new KubernetesException("no kubeconfig found; looked at " + String.join(", ", looked), wanted, namespace,
          "point Slipway at a cluster: --kubeconfig FILE, KUBECONFIG=FILE, or ~/.kube/config (kind, k3s and the "
              + "cloud CLIs write one)", KubernetesException.BAD_INPUT);
    }
    return fromFiles(files, wanted, namespace);
  }

  private static Config fromFiles(List<File> files, String wanted, String namespace) throws KubernetesException {
    List<io.fabric8.kubernetes.api.model.Config> parsed = new ArrayList<>();
    for (File f : files) {
      try {
        parsed.add(KubeConfigUtils.parseConfig(f));
      } catch (RuntimeException e) {
        throw new KubernetesException(f + ": not a kubeconfig: " + e.getMessage(), wanted, namespace,
            "check the file with: kubectl config view --kubeconfig " + f, KubernetesException.BAD_INPUT, e);
      }
    }
    Set<String> contexts = new LinkedHashSet<>();
    String current = null;
    for (io.fabric8.kubernetes.api.model.Config c : parsed) {
      if (c.getContexts() != null) {
        c.getContexts().stream().map(NamedContext::getName).forEach(contexts::add);
      }
      if (current == null && c.getCurrentContext() != null && !c.getCurrentContext().isBlank()) {
        current = c.getCurrentContext();
      }
    }
    String where = files.size() == 1 ? files.get(0).toString() : "KUBECONFIG (" + files.size() + " files)";
    String context = wanted != null ? wanted : current;
    if (context == null) {
      throw new KubernetesException(where + " has no current context and none was chosen", null, namespace,
          "choose one with --context NAME or the environment's context: key; the kubeconfig has: "
              + (contexts.isEmpty() ? "no contexts" : String.join(", ", contexts)), KubernetesException.BAD_INPUT);
    }
    if (!contexts.contains(context)) {
      throw new KubernetesException("context " + context + " is not in " + where, context, namespace,
          "use one of its contexts: " + (contexts.isEmpty() ? "(none)" : String.join(", ", contexts))
              + " (kubectl config get-contexts), with --context NAME or the environment's context: key",
          KubernetesException.BAD_INPUT);
    }
    try {
      if (files.size() == 1) {
        return Config.fromKubeconfig(context, files.get(0));
      }
      Config config = Config.empty();
      KubeConfigUtils.merge(config, context, parsed.toArray(io.fabric8.kubernetes.api.model.Config[]::new));
      return config;
    } catch (KubernetesClientException e) {
      throw new KubernetesException(where + ": context " + context + " cannot be used: " + e.getMessage(), context,
          namespace, "check it with: kubectl config view --minify --context " + context,
          KubernetesException.BAD_INPUT, e);
    }
  }

  /**
   * Contacts the server once (lists at most one Lease in the namespace: a call every command needs
   * anyway), so that an unreachable server, refused credentials or a missing permission show now.
   */
  void check() throws KubernetesException {
    try {
      client.leases().inNamespace(namespace).list(new ListOptionsBuilder().withLimit(1L).build());
    } catch (KubernetesClientException e) {
      throw error(e, "list", "leases");
    }
  }

  KubernetesClient client() {
    return client;
  }

  String context() {
    return context;
  }

  String namespace() {
    return namespace;
  }

  /** The API server's URL. */
  String server() {
    return server;
  }

  ConnectOptions options() {
    return options;
  }

  /** Says what went wrong for a person: on which context and namespace, and what to do. */
  KubernetesException error(KubernetesClientException e, String verb, String resource) {
    return ClusterErrors.translate(e, verb, resource, context, namespace, server);
  }

  @Override
  public void close() {
    client.close();
  }
}
