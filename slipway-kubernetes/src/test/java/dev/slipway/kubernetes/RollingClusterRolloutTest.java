package dev.slipway.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.kubernetes.sim.Behaviour;
import dev.slipway.kubernetes.sim.MockCluster;
import dev.slipway.kubernetes.sim.SimKubelet;
import dev.slipway.store.DeploymentPhase;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An environment's first deploy, then rolling releases of {@code worker}, healthy and not, end to end. */
class RollingClusterRolloutTest {
  static MockCluster cluster;
  static SimKubelet kubelet;

  @BeforeAll
  static void start() {
    cluster = new MockCluster();
    kubelet = RunnerFixture.kubelet(cluster);
  }

  @org.junit.jupiter.api.AfterEach
  void kubeletErrors() {
    kubelet.errors().forEach(e -> System.out.println("[kubelet error] " + e));
  }

  @AfterAll
  static void stop() {
    kubelet.close();
    cluster.close();
  }

  @Test
  void firstDeploy_appliesTheWholeAppWaitsForItAndRecordsR1ForEveryService() throws Exception {
    RunnerFixture f = new RunnerFixture(cluster, null, UnaryOperator.identity());
    try (KubernetesEnvironment env = f.runner("alice@ci")) {
      DeployResult r = env.deploy(RunnerFixture.order("worker", "1.0.1", true));
      assertTrue(r.ok(), r.message());
      assertEquals("ghcr.io/acme/shop-worker:1.0.1", r.release().image());
      assertEquals("ghcr.io/acme/shop-worker:1.0.1", RunnerFixture.image(f.deployment("worker")));
      assertEquals("r1", RunnerFixture.release(f.deployment("worker")));
      assertNotNull(f.deployment("api-r1"), "a canary service's Deployment is per release");
      assertNotNull(f.deployment("web-r1"));
      assertNotNull(cluster.client().apps().statefulSets().inNamespace(f.namespace).withName("db").get());
      for (String s : List.of("api", "web", "worker")) {
        List<ClusterRelease> h = env.history(s);
        assertEquals(1, h.size());
        assertEquals(DeploymentPhase.DONE, h.get(0).phase());
        assertEquals("live", h.get(0).state(), s);
        assertEquals("install", h.get(0).strategy());
      }
      ClusterStatus st = env.status();
      assertEquals(f.namespace, st.namespace());
      ClusterStatus.Service api = st.services().get(0);
      assertEquals("api", api.name());
      assertEquals("r1", api.release());
      assertEquals(2, api.desired());
      assertEquals(2, api.ready());
      assertEquals(null, api.rollout());
      assertEquals(null, api.holder(), "the Lease is released when the command ends");
    }
  }

  @Test
  void rolling_healthy_patchesTheTemplateWaitsAndSupersedesTheOldRelease() throws Exception {
    RunnerFixture f = new RunnerFixture(cluster, null, UnaryOperator.identity());
    try (KubernetesEnvironment env = f.runner("alice@ci")) {
      assertTrue(env.deploy(RunnerFixture.order("worker", null, true)).ok());
      DeployResult r = env.deploy(RunnerFixture.order("worker", "1.1.0", true));
      assertTrue(r.ok(), r.message());
      assertEquals("worker r2 is live", r.message().substring(0, "worker r2 is live".length()));
      var d = f.deployment("worker");
      assertEquals("ghcr.io/acme/shop-worker:1.1.0", RunnerFixture.image(d));
      assertEquals("r2", RunnerFixture.release(d));
      assertTrue(RolloutWatch.rolledOut(d), "the runner returned before the rollout was done");
      List<ClusterRelease> h = env.history("worker");
      assertEquals(List.of("r2", "r1"), h.stream().map(ClusterRelease::id).toList());
      assertEquals(List.of("live", "superseded"), h.stream().map(ClusterRelease::state).toList());
      assertEquals("rolling", h.get(0).strategy());
      ClusterStatus.Service worker = env.status().services().get(2);
      assertEquals("r2", worker.release());
      assertEquals("ghcr.io/acme/shop-worker:1.1.0", worker.image());
      assertTrue(f.progress.contains("worker r2: 1/1 pods ready"), f.progress.toString());
    }
  }

  @Test
  void rolling_whenPodsNeverBecomeReady_restoresThePreviousTemplateAndRecordsWhy() throws Exception {
    kubelet.behave("shop-worker:broken", Behaviour.NEVER_READY);
    RunnerFixture f = new RunnerFixture(cluster, null, UnaryOperator.identity());
    try (KubernetesEnvironment env = f.runner("alice@ci")) {
      assertTrue(env.deploy(RunnerFixture.order("worker", null, true)).ok());
      DeployResult r = env.deploy(RunnerFixture.order("worker", "broken", true));
      assertFalse(r.ok());
      assertTrue(r.message().startsWith("worker r2 rolled back: pods never ready: worker-"), r.message());
      var d = f.deployment("worker");
      assertEquals("ghcr.io/acme/shop-worker:1.0.0", RunnerFixture.image(d), "the previous template is back");
      assertEquals("r1", RunnerFixture.release(d));
      assertTrue(RolloutWatch.rolledOut(d), "and rolled out again");
      List<ClusterRelease> h = env.history("worker");
      assertEquals(List.of("rolled-back", "live"), h.stream().map(ClusterRelease::state).toList());
      assertTrue(h.get(0).reason().startsWith("pods never ready"), h.get(0).reason());
      assertEquals(DeploymentPhase.DONE, h.get(0).phase());
      ClusterStatus.Service worker = env.status().services().get(2);
      assertEquals("r1", worker.release());
      assertEquals(null, worker.rollout());
    }
  }

  @Test
  void rolling_whenTheNewPodsCrashLoop_rollsBackNamingThePod() throws Exception {
    kubelet.behave("shop-worker:crashing", Behaviour.CRASH_LOOP);
    RunnerFixture f = new RunnerFixture(cluster, null, UnaryOperator.identity());
    try (KubernetesEnvironment env = f.runner("alice@ci")) {
      assertTrue(env.deploy(RunnerFixture.order("worker", null, true)).ok());
      DeployResult r = env.deploy(RunnerFixture.order("worker", "crashing", true));
      assertFalse(r.ok());
      assertTrue(r.message().contains("crash loop: pod worker-"), r.message());
      assertEquals("r1", RunnerFixture.release(f.deployment("worker")));
    }
  }
}
