package dev.slipway.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.kubernetes.sim.MockCluster;
import dev.slipway.kubernetes.sim.SimKubelet;
import dev.slipway.model.AppSpec;
import dev.slipway.model.ModelLoader;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the runner costs against the mock: a canary of the example's {@code api} beyond its configured
 * pauses, and the first deploy of a 200-service model. The numbers are printed; the bounds are generous,
 * since the machine running the tests is shared.
 */
class RolloutPerformanceTest {

  @Test
  void canaryOfTheExamplesApi_addsLittleBeyondItsPauses() throws Exception {
    Path example = ObjectsFixture.shop();
    try (MockCluster cluster = new MockCluster();
        SimKubelet kubelet = new SimKubelet(cluster.client()).readyDelay(Duration.ZERO).start();
        FakePrometheus prom = new FakePrometheus().traffic("r1", 900, 0).traffic("r2", 150, 0)) {
      // the example's own Prometheus (an in-cluster address) becomes this test's
      String yaml = Files.readString(example).replace("http://prometheus.monitoring.svc:9090", prom.url().toString());
      AppSpec app = ModelLoader.parse(yaml, example, "staging");
      double scale = 0.01; // the example's two 30 s pauses take 0.3 s each
      List<String> lines = new ArrayList<>();
      try (KubernetesEnvironment env = runner(cluster, app, scale, lines::add)) {
        assertTrue(env.deploy(RunnerFixture.order("api", "1.0.0", true)).ok());
        long start = System.nanoTime();
        DeployResult r = env.deploy(RunnerFixture.order("api", "1.1.0", true));
        double took = (System.nanoTime() - start) / 1e9;
        assertTrue(r.ok(), r.message());
        double pauses = 2 * 30 * scale;
        double overhead = took - pauses;
        System.out.printf("canary of the example's api: %.2f s in all, %.2f s of configured pauses, %.2f s beyond them "
            + "(two readiness waits, two analysis samples 100 ms apart, %d progress lines)%n", took, pauses, overhead,
            lines.size());
        assertTrue(overhead < 5.0, "the canary took " + took + " s beyond its pauses");
        kubelet.awaitIdle(); // no watch event in flight when the runner's watches close (the mock stalls on that)
      }
    }
  }

  @Test
  void firstDeployOfA200ServiceModel_takesUnderTenSeconds() throws Exception {
    StringBuilder yaml = new StringBuilder("name: big\nservices:\n");
    for (int i = 0; i < 200; i++) {
      yaml.append("  s").append(i).append(": { run: \"true\", image: \"ghcr.io/acme/s").append(i)
          .append(":1.0.0\", port: 8080 }\n");
    }
    yaml.append("environments:\n  staging: { target: kubernetes, namespace: big }\n");
    AppSpec app = ModelLoader.parse(yaml.toString(), Path.of("/models/slipway.yaml"), "staging");
    try (MockCluster cluster = new MockCluster();
        SimKubelet kubelet = new SimKubelet(cluster.client()).readyDelay(Duration.ZERO).start()) {
      List<String> lines = new ArrayList<>();
      java.util.Map<String, Long> at = new java.util.concurrent.ConcurrentHashMap<>();
      try (KubernetesEnvironment env = runner(cluster, app, 1.0, line -> {
        lines.add(line);
        at.put(line, System.nanoTime());
      })) {
        long start = System.nanoTime();
        DeployResult r = env.deploy(RunnerFixture.order("s0", "1.0.1", true));
        long end = System.nanoTime();
        assertTrue(r.ok(), r.message());
        double took = (end - start) / 1e9;
        // The simulated controllers (one worker making 200 ReplicaSets, pods and statuses on a mock that scans
        // its store per request) take most of the wait; Slipway's part is its records, the apply, and the end.
        double applied = (at.get(lines.get(1)) - start) / 1e9;
        double afterReady = (end - at.get("big: 200/200 workloads ready")) / 1e9;
        System.out.printf("first deploy of a 200-service model: %.2f s in all; records and apply of %s %.2f s, "
            + "records after the last workload was ready %.2f s; the rest waiting for the simulated controllers%n",
            took, lines.get(0).replaceAll(".*: ", ""), applied, afterReady);
        assertEquals(200, cluster.client().apps().deployments().inNamespace("big").list().getItems().size());
        assertTrue(applied + afterReady < 10.0, "Slipway's part of the first deploy took " + (applied + afterReady) + " s");
        assertTrue(took < 120.0, "the first deploy took " + took + " s");
        kubelet.awaitIdle();
      }
    }
  }

  private static KubernetesEnvironment runner(MockCluster cluster, AppSpec app, double scale,
      java.util.function.Consumer<String> lines) {
    var env = app.selectedEnvironment().orElseThrow();
    var client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
        .withMasterUrl(cluster.url().toString()).build()).build();
    String ns = env.namespace();
    ClusterConnection c = ClusterConnection.of(client, "mock", ns, new ConnectOptions(null, null, "perf", Duration.ofSeconds(10)));
    RunnerSettings settings = RunnerSettings.defaults().withClock(RunnerClock.scaled(scale))
        .withMetrics(null, Duration.ofMillis(100));
    long t0 = System.nanoTime();
    return new KubernetesEnvironment(c, app, env, settings, line -> {
      lines.accept(line);
      System.out.printf("[perf %6.2f s] %s%n", (System.nanoTime() - t0) / 1e9, line);
    });
  }
}
