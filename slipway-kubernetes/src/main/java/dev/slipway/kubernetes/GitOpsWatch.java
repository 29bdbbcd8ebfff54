package dev.slipway.kubernetes;

import dev.slipway.model.EnvironmentSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * After a push, watches the cluster until Argo CD or Flux has applied the commit: the Deployment's
 * template runs the committed image and its rollout is complete (observed generation, every replica
 * updated and available, no old pod left). A watch with a deadline, never a poll.
 */
final class GitOpsWatch {
  /** How a wait ended: {@code ok} when applied and rolled out; {@code message} says what was seen. */
  record Outcome(boolean ok, String message) {}

  private final KubernetesClient client;
  private final String namespace;
  private final String environment;

  GitOpsWatch(KubernetesClient client, String namespace, String environment) {
    this.client = client;
    this.namespace = namespace;
    this.environment = environment;
  }

  /**
   * A client for the environment's cluster in kubectl's order ({@code --kubeconfig}, {@code KUBECONFIG},
   * {@code ~/.kube/config}, the in-cluster service account), or null when none is configured: a GitOps
   * environment then ends with the push.
   */
  static KubernetesClient connect(ConnectOptions options, EnvironmentSpec env) {
    String context = options.context() != null ? options.context() : env.cluster().context();
    Path kubeconfig = options.kubeconfig();
    if (kubeconfig == null && System.getenv("KUBECONFIG") != null && !System.getenv("KUBECONFIG").isBlank()) {
      kubeconfig = Path.of(System.getenv("KUBECONFIG").split(java.io.File.pathSeparator)[0]);
    }
    if (kubeconfig == null) {
      Path home = Path.of(System.getProperty("user.home"), ".kube", "config");
      kubeconfig = Files.isRegularFile(home) ? home : null;
    }
    Config config;
    if (kubeconfig != null) {
      config = Config.fromKubeconfig(context, kubeconfig.toFile());
    } else if (System.getenv("KUBERNETES_SERVICE_HOST") != null) {
      config = Config.autoConfigure(context);
    } else {
      return null;
    }
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Waits until Deployment {@code name} runs {@code image} in its container {@code container} and has rolled out. */
  Outcome await(String name, String container, String image, Duration deadline) throws KubernetesException {
    try {
      Deployment d = client.apps().deployments().inNamespace(namespace).withName(name)
          .waitUntilCondition(x -> applied(x, container, image) && rolledOut(x), deadline.toMillis(),
              TimeUnit.MILLISECONDS);
      int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      return new Outcome(true, "Deployment " + name + " runs " + image + " (" + replicas + "/" + replicas + " ready)");
    } catch (KubernetesClientTimeoutException e) {
      return new Outcome(false, describe(name, container, image, deadline));
    } catch (KubernetesClientException e) {
      throw new KubernetesException("cannot watch Deployment " + name + " on " + client.getMasterUrl() + ": "
          + e.getMessage(), client.getConfiguration().getCurrentContext() == null ? null
          : client.getConfiguration().getCurrentContext().getName(), namespace,
          "the commit is pushed; check the cluster is reachable, then `slipway status --env " + environment + "`",
          KubernetesException.FAILED, e);
    }
  }

  /** Waits until Deployment {@code name} is gone (a canary set pruned by Argo CD or Flux). */
  boolean awaitGone(String name, Duration deadline) {
    try {
      client.apps().deployments().inNamespace(namespace).withName(name)
          .waitUntilCondition(Objects::isNull, deadline.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (KubernetesClientTimeoutException e) {
      return false;
    }
  }

  static boolean applied(Deployment d, String container, String image) {
    if (d == null || d.getSpec() == null || d.getSpec().getTemplate() == null) {
      return false;
    }
    for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
      if (c.getName().equals(container)) {
        return image.equals(c.getImage());
      }
    }
    return false;
  }

  static boolean rolledOut(Deployment d) {
    DeploymentStatus s = d.getStatus();
    int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    if (s == null || s.getObservedGeneration() == null || d.getMetadata().getGeneration() == null
        || s.getObservedGeneration() < d.getMetadata().getGeneration()) {
      return false;
    }
    return n(s.getUpdatedReplicas()) >= want && n(s.getAvailableReplicas()) >= want && n(s.getReplicas()) == want;
  }

  private String describe(String name, String container, String image, Duration deadline) {
    Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
    String seen;
    if (d == null) {
      seen = "there is no Deployment " + name + " in namespace " + namespace + " yet";
    } else if (!applied(d, container, image)) {
      String running = d.getSpec().getTemplate().getSpec().getContainers().stream()
          .filter(c -> c.getName().equals(container)).map(Container::getImage).findFirst().orElse("?");
      seen = "Deployment " + name + " still runs " + running + " (Argo CD or Flux has not synced the commit)";
    } else {
      DeploymentStatus s = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
      int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      seen = "Deployment " + name + " runs " + image + " but has not rolled out: " + n(s.getUpdatedReplicas())
          + "/" + want + " updated, " + n(s.getAvailableReplicas()) + "/" + want + " available";
    }
    return "not applied within " + deadline.toSeconds() + " s: " + seen;
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }
}
