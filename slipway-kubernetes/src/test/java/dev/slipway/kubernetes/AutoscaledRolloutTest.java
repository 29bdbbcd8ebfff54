package dev.slipway.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.kubernetes.sim.MockCluster;
import dev.slipway.kubernetes.sim.SimKubelet;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A service with {@code autoscaling}: its HorizontalPodAutoscaler owns the replica count, so a release keeps
 * the count the autoscaler set (here: scaled to 3 between two deploys, as an HPA would under load) instead
 * of the model's {@code replicas}, for every strategy.
 */
class AutoscaledRolloutTest {
  static MockCluster cluster;
  static SimKubelet kubelet;

  @BeforeAll
  static void start() {
    cluster = new MockCluster();
    kubelet = RunnerFixture.kubelet(cluster);
  }

  @AfterAll
  static void stop() {
    kubelet.close();
    cluster.close();
  }

  private static RunnerFixture autoscaled(String strategy, String prometheus) {
    return new RunnerFixture(cluster, prometheus, y -> y.replace("    strategy:\n      " + strategy + ":",
        "    autoscaling: { min: 1, max: 6 }\n    strategy:\n      " + strategy + ":"));
  }

  /** What a HorizontalPodAutoscaler does: sets the Deployment's replicas. */
  private static void scale(RunnerFixture f, String deployment, int replicas) {
    cluster.client().apps().deployments().inNamespace(f.namespace).withName(deployment).edit(d -> {
      d.getSpec().setReplicas(replicas);
      return d;
    });
  }

  @Test
  void rolling_keepsTheAutoscalersCount() throws Exception {
    RunnerFixture f = autoscaled("rolling", null);
    try (KubernetesEnvironment env = f.runner("alice@ci")) {
      assertTrue(env.deploy(RunnerFixture.order("worker", null, true)).ok());
      scale(f, "worker", 3);
      DeployResult r = env.deploy(RunnerFixture.order("worker", "1.1.0", true));
      assertTrue(r.ok(), r.message());
      assertEquals("r2", RunnerFixture.release(f.deployment("worker")));
      assertEquals(3, f.deployment("worker").getSpec().getReplicas(), "the autoscaler's count, not the model's 1");
    }
  }

  @Test
  void blueGreen_startsTheNewSetAtTheLiveCount() throws Exception {
    RunnerFixture f = autoscaled("blueGreen", null);
    try (KubernetesEnvironment env = f.runner("alice@ci", Duration.ofSeconds(10), 0.1, RunnerChaos.NONE, null)) {
      assertTrue(env.deploy(RunnerFixture.order("web", null, true)).ok());
      scale(f, "web-r1", 3);
      DeployResult r = env.deploy(RunnerFixture.order("web", "2.0.0", true));
      assertTrue(r.ok(), r.message());
      assertTrue(f.progress.contains("web r2: Deployment web-r2 with 3 pods (ghcr.io/acme/shop-web:2.0.0)"),
          f.progress.toString());
      assertEquals(3, f.deployment("web-r2").getSpec().getReplicas());
    }
  }

  @Test
  void canary_startsTheCanaryAtTheLiveCount() throws Exception {
    try (FakePrometheus prom = new FakePrometheus().traffic("r1", 900, 1).traffic("r2", 100, 0)) {
      RunnerFixture f = autoscaled("canary", prom.url().toString());
      try (KubernetesEnvironment env = f.runner("alice@ci", Duration.ofSeconds(10), 0.1, RunnerChaos.NONE, null)) {
        assertTrue(env.deploy(RunnerFixture.order("api", null, true)).ok());
        scale(f, "api-r1", 3);
        DeployResult r = env.deploy(RunnerFixture.order("api", "2.0.0", true));
        assertTrue(r.ok(), r.message());
        assertTrue(f.progress.contains("api r2: Deployment api-r2 with 3 pods (ghcr.io/acme/shop-api:2.0.0)"),
            f.progress.toString());
        assertEquals(3, f.deployment("api-r2").getSpec().getReplicas());
      }
    }
  }
}
