package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.team.PreviewRequest;
import dev.slipway.api.team.PreviewView;
import dev.slipway.kubernetes.sim.MockCluster;
import dev.slipway.kubernetes.sim.SimKubelet;
import dev.slipway.preview.PreviewSettings;
import dev.slipway.preview.Previews;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A preview from a kubernetes environment: the whole shop (services and backing services) in a namespace
 * of its own, {@code NAMESPACE-NAME}, beside the environment's; {@code down} deletes that namespace and
 * leaves the environment's alone. On fabric8's mock API server with the simulated kubelet.
 */
class PreviewsOnClusterIT {
  @Test
  void upFromStaging_installsTheWholeAppInItsOwnNamespace_andDownDeletesIt() throws Exception {
    try (MockCluster cluster = new MockCluster(); SimKubelet kubelet = new SimKubelet(cluster.client()).start()) {
      Path dir = CliTestSupport.copyExample("slipway-preview-cluster");
      Path model = dir.resolve("slipway.yaml");
      // Network only to loopback: the environments' Prometheus becomes an address where nobody listens.
      Files.writeString(model, Files.readString(model).replace("http://prometheus.monitoring.svc:9090",
          "http://127.0.0.1:1").replace("startupTimeout: 60s", "startupTimeout: 15s"));
      Path kubeconfig = cluster.writeKubeconfig(dir, "kind-staging");
      Previews previews = Previews.open(dir.resolve("registry"), PreviewSettings.ofThisJvm().withKubeconfig(kubeconfig));
      List<String> progress = new ArrayList<>();

      PreviewView up = previews.up(new PreviewRequest("pr-7", "1h", "staging", model.toString(), null), "alice",
          progress::add);

      assertThat(up.target()).isEqualTo("kubernetes");
      assertThat(up.location()).isEqualTo("shop-staging-pr-7");
      assertThat(up.urls()).containsEntry("api", "http://api.shop-staging-pr-7.svc.cluster.local");
      KubernetesClient k = cluster.client();
      assertThat(k.namespaces().withName("shop-staging-pr-7").get()).isNotNull();
      assertThat(k.apps().deployments().inNamespace("shop-staging-pr-7").list().getItems())
          .extracting(d -> d.getMetadata().getName()).anySatisfy(n -> assertThat(n).startsWith("api"))
          .anySatisfy(n -> assertThat(n).startsWith("web")).anySatisfy(n -> assertThat(n).startsWith("worker"));
      assertThat(k.apps().statefulSets().inNamespace("shop-staging-pr-7").list().getItems()).isNotEmpty();
      assertThat(k.apps().deployments().inNamespace("shop-staging").list().getItems()).as("staging itself").isEmpty();
      assertThat(previews.list()).extracting(PreviewView::name, PreviewView::state).containsExactly(
          org.assertj.core.groups.Tuple.tuple("pr-7", "up"));

      previews.down("pr-7", progress::add);

      assertThat(k.namespaces().withName("shop-staging-pr-7").get()).isNull();
      assertThat(previews.list()).isEmpty();
      assertThat(progress).contains("deleting namespace shop-staging-pr-7");
    }
  }
}
