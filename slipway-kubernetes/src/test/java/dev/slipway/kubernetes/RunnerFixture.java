package dev.slipway.kubernetes;

import dev.slipway.analysis.MetricSource;
import dev.slipway.kubernetes.sim.MockCluster;
import dev.slipway.kubernetes.sim.SimKubelet;
import dev.slipway.model.AppSpec;
import dev.slipway.model.ModelLoader;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A runner against the mock cluster: the test model ({@code rollout/shop.yaml}) in a namespace of its
 * own, opened as a {@link KubernetesEnvironment} with its own client (closing one runner, or halting it,
 * leaves the others alone), progress lines collected.
 */
final class RunnerFixture {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  final MockCluster cluster;
  final String namespace;
  final List<String> progress = new CopyOnWriteArrayList<>();
  private final String yaml;

  RunnerFixture(MockCluster cluster, String prometheus, UnaryOperator<String> edit) {
    this.cluster = cluster;
    this.namespace = "shop-" + NAMESPACES.incrementAndGet();
    this.yaml = edit.apply(resource("/rollout/shop.yaml").replace("NAMESPACE", namespace)
        .replace("PROMETHEUS", prometheus == null ? "http://127.0.0.1:9" : prometheus));
  }

  AppSpec app() {
    return ModelLoader.parse(yaml, Path.of("/models/slipway.yaml"), "staging");
  }

  /** A runner named {@code runner} with Leases of {@code ttl}, strategy waits scaled by {@code scale}. */
  KubernetesEnvironment runner(String runner, Duration ttl, double scale, RunnerChaos chaos,
      Function<String, MetricSource> metrics) {
    AppSpec app = app();
    var env = app.selectedEnvironment().orElseThrow();
    KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
        .withMasterUrl(cluster.url().toString()).withNamespace(namespace)
        // As ClusterConnection configures it: two quick retries, not ten with back-off.
        .withRequestRetryBackoffLimit(2).withRequestRetryBackoffInterval(100).build()).build();
    ClusterConnection c = ClusterConnection.of(client, "mock", namespace, new ConnectOptions(null, null, runner, ttl));
    RunnerSettings settings = RunnerSettings.defaults().withClock(RunnerClock.scaled(scale)).withChaos(chaos)
        .withMetrics(metrics, Duration.ofMillis(100));
    return new KubernetesEnvironment(c, app, env, settings, line -> {
      progress.add(line);
      System.out.println("[" + runner + "] " + line);
    });
  }

  KubernetesEnvironment runner(String runner) {
    return runner(runner, Duration.ofSeconds(10), 1.0, RunnerChaos.NONE, null);
  }

  Deployment deployment(String name) {
    return cluster.client().apps().deployments().inNamespace(namespace).withName(name).get();
  }

  static DeployOrder order(String service, String tag, boolean wait) {
    return new DeployOrder(service, tag, null, null, wait, null, false);
  }

  static String image(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  static String release(Deployment d) {
    return d.getSpec().getTemplate().getMetadata().getLabels().get(ClusterObjects.RELEASE);
  }

  static SimKubelet kubelet(MockCluster cluster) {
    return new SimKubelet(cluster.client()).readyDelay(Duration.ofMillis(100)).start();
  }

  static String resource(String name) {
    try (InputStream in = RunnerFixture.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
