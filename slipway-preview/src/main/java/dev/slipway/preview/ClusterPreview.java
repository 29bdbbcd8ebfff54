package dev.slipway.preview;

import dev.slipway.kubernetes.ClusterEnvironment;
import dev.slipway.kubernetes.ClusterEnvironments;
import dev.slipway.kubernetes.ClusterStatus;
import dev.slipway.kubernetes.ConnectOptions;
import dev.slipway.kubernetes.DeployOrder;
import dev.slipway.kubernetes.DeployResult;
import dev.slipway.kubernetes.KubernetesException;
import dev.slipway.model.AppSpec;
import dev.slipway.model.ClusterSettings;
import dev.slipway.model.EnvironmentSpec;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A preview on a cluster: the whole application (backing services included) in a namespace of its own,
 * {@code NAMESPACE-NAME}, installed by the cluster runner's first-deploy path with the images the
 * source environment runs now; removed by deleting the namespace. Creating and deleting namespaces
 * needs RBAC beyond one namespace's Role (docs/promotion.md, "Previews").
 */
final class ClusterPreview {
  private static final Duration LEASE_TTL = Duration.ofSeconds(15);
  private final PreviewSettings settings;

  ClusterPreview(PreviewSettings settings) {
    this.settings = settings;
  }

  /** {@code NAMESPACE-NAME}, where NAMESPACE is the environment's namespace (else the application's name). */
  String namespace(AppSpec app, EnvironmentSpec env, String name) throws PreviewException {
    String base = env.namespace() != null ? env.namespace() : app.name();
    String ns = base + "-" + name;
    if (ns.length() > 63) {
      throw new PreviewException("the preview's namespace " + ns + " is longer than 63 characters",
          "use a shorter preview name (at most " + Math.max(1, 62 - base.length()) + " characters here)",
          PreviewException.BAD_INPUT);
    }
    return ns;
  }

  /** Installs the application into {@code namespace} with what {@code env} runs now; returns in-cluster URLs. */
  Map<String, String> up(AppSpec app, EnvironmentSpec env, String namespace, Consumer<String> progress)
      throws PreviewException {
    Map<String, String> images = new LinkedHashMap<>();
    try (ClusterEnvironment source = ClusterEnvironments.open(app, env, app.baseDir(), options(), progress)) {
      for (ClusterStatus.Service s : source.status().services()) {
        if (s.image() != null) {
          images.put(s.name(), s.image());
        }
      }
    } catch (KubernetesException e) {
      throw failed(e);
    }
    Map<String, String> urls = new LinkedHashMap<>();
    try (ClusterEnvironment preview = ClusterEnvironments.open(app, inNamespace(env, namespace), app.baseDir(),
        options(), progress)) {
      // The first deploy of the first service installs every service and backing service; the others
      // then get the image their source runs.
      boolean first = true;
      for (String service : app.services().keySet()) {
        String image = images.get(service);
        if (!first && image == null) {
          continue;
        }
        DeployResult r = preview.deploy(new DeployOrder(service, null, image, null, true, null, false));
        if (!r.ok()) {
          throw new PreviewException("preview deploy of " + service + " into " + namespace + " failed: " + r.message(),
              "look at `kubectl -n " + namespace + " get events`", PreviewException.FAILED);
        }
        first = false;
      }
      for (String service : app.services().keySet()) {
        urls.put(service, "http://" + service + "." + namespace + ".svc.cluster.local");
      }
    } catch (KubernetesException e) {
      throw failed(e);
    }
    return urls;
  }

  /** Deletes the preview's namespace, and with it everything in it. */
  void down(AppSpec app, EnvironmentSpec env, String namespace, Consumer<String> progress) throws PreviewException {
    progress.accept("deleting namespace " + namespace);
    try (KubernetesClient client = client(env)) {
      client.namespaces().withName(namespace).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw new PreviewException("cannot delete namespace " + namespace + ": " + e.getMessage(),
            e.getCode() == 403 ? "the account needs to delete namespaces (docs/promotion.md, \"Previews\")"
                : "delete it with `kubectl delete namespace " + namespace + "`", PreviewException.FAILED, e);
      }
    }
  }

  private KubernetesClient client(EnvironmentSpec env) throws PreviewException {
    Config config;
    String context = env.cluster().context();
    Path kubeconfig = settings.kubeconfig();
    try {
      config = kubeconfig == null ? Config.autoConfigure(context)
          : Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString());
    } catch (IOException e) {
      throw new PreviewException("cannot read " + kubeconfig + ": " + e.getMessage(), "check the kubeconfig's path",
          PreviewException.BAD_INPUT, e);
    }
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private ConnectOptions options() {
    return new ConnectOptions(settings.kubeconfig(), null, "slipway-preview@" + ProcessHandle.current().pid(),
        LEASE_TTL);
  }

  /** The environment in another namespace; no GitOps repository (a preview is applied directly). */
  private static EnvironmentSpec inNamespace(EnvironmentSpec env, String namespace) {
    ClusterSettings c = env.cluster();
    return new EnvironmentSpec(env.name(), env.target(), namespace, env.secretStore(), env.gateway(), env.router(),
        new ClusterSettings(c.context(), c.prometheus(), null, c.requireDigests()));
  }

  private static PreviewException failed(KubernetesException e) {
    return new PreviewException(e.getMessage(), e.fix(), e.exitCode() == KubernetesException.BAD_INPUT
        ? PreviewException.BAD_INPUT : PreviewException.FAILED, e);
  }
}
