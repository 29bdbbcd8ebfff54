package dev.slipway.kubernetes.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MockClusterTest {

  @TempDir Path dir;

  @Test
  void kubeconfig_writtenForAContext_worksFromAFreshClient() throws Exception {
    try (MockCluster cluster = new MockCluster()) {
      assertThat(cluster.url().toString()).startsWith("http://127.0.0.1:");
      Path file = cluster.writeKubeconfig(dir, "staging");
      assertThat(Files.readString(file)).contains("current-context: staging");

      try (KubernetesClient fresh = MockCluster.clientFrom(file, null)) {
        fresh.configMaps().inNamespace("shop").resource(
            new ConfigMapBuilder().withNewMetadata().withName("hello").endMetadata().addToData("a", "b").build()).create();
      }
      assertThat(cluster.client().configMaps().inNamespace("shop").withName("hello").get().getData()).containsEntry("a", "b");
    }
  }

  @Test
  void kubeconfig_withSeveralContexts_selectsTheNamedOne() throws Exception {
    try (MockCluster cluster = new MockCluster()) {
      Map<String, URI> contexts = new LinkedHashMap<>();
      contexts.put("staging", cluster.url());
      contexts.put("gone", URI.create("http://127.0.0.1:1"));
      Path file = MockCluster.writeKubeconfig(dir, "gone", contexts);

      try (KubernetesClient staging = MockCluster.clientFrom(file, "staging")) {
        assertThat(staging.getMasterUrl().toString()).startsWith(cluster.url().toString());
        assertThat(staging.configMaps().inNamespace("shop").list().getItems()).isEmpty();
      }
      Config gone = Config.fromKubeconfig(null, Files.readString(file), null);
      gone.setRequestRetryBackoffLimit(0);
      try (KubernetesClient current = new KubernetesClientBuilder().withConfig(gone).build()) {
        assertThat(current.getMasterUrl().getPort()).isEqualTo(1);
        assertThatThrownBy(() -> current.configMaps().inNamespace("shop").list()).isInstanceOf(KubernetesClientException.class);
      }
    }
  }

  @Test
  void podLogs_areServed_asSet_withTailAndFollow() throws Exception {
    try (MockCluster cluster = new MockCluster()) {
      KubernetesClient k = cluster.client();
      k.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("api-1").endMetadata()
          .withNewSpec().addNewContainer().withName("api").withImage("api:v1").endContainer().endSpec().build()).create();
      // The client waits for a pod to run before reading its log; no kubelet runs here, so say it does.
      k.pods().inNamespace("shop").withName("api-1").editStatus(p -> {
        p.setStatus(new PodStatusBuilder().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition().build());
        return p;
      });

      assertThat(k.pods().inNamespace("shop").withName("api-1").getLog()).isEqualTo("started\n");
      cluster.podLog("shop", "api-1", "one\ntwo\n").appendPodLog("shop", "api-1", List.of("three"));
      assertThat(k.pods().inNamespace("shop").withName("api-1").getLog()).isEqualTo("one\ntwo\nthree\n");
      assertThat(k.pods().inNamespace("shop").withName("api-1").tailingLines(1).getLog()).isEqualTo("three\n");

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (var watch = k.pods().inNamespace("shop").withName("api-1").watchLog(out)) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!out.toString().contains("three") && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
      }
      assertThat(out.toString()).isEqualTo("one\ntwo\nthree\n");
      assertThat(cluster.logRequests()).isGreaterThanOrEqualTo(4);
      assertThatThrownBy(() -> k.pods().inNamespace("shop").withName("nobody").getLog())
          .isInstanceOf(KubernetesClientException.class);
    }
  }
}
