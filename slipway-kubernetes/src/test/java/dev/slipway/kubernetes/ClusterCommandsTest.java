package dev.slipway.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.kubernetes.sim.MockCluster;
import dev.slipway.kubernetes.sim.SimKubelet;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The verbs around rollouts: promote of a paused canary, rollback to a revision, logs, down. */
class ClusterCommandsTest {
  static MockCluster cluster;
  static SimKubelet kubelet;

  @BeforeAll
  static void start() {
    cluster = new MockCluster();
    kubelet = RunnerFixture.kubelet(cluster);
  }

  @AfterEach
  void kubeletErrors() {
    kubelet.errors().forEach(e -> System.out.println("[kubelet error] " + e));
  }

  @AfterAll
  static void stop() {
    kubelet.close();
    cluster.close();
  }

  @Test
  void aCanaryPausedUntilPromote_returnsWithoutWait_andAPromoteByAnotherRunnerFinishesIt() throws Exception {
    try (FakePrometheus prom = new FakePrometheus().traffic("r1", 900, 0).traffic("r2", 100, 0)) {
      RunnerFixture f = new RunnerFixture(cluster, prom.url().toString(), y -> y.replace("- pause: 2s", "- pause: {}"));
      try (KubernetesEnvironment alice = f.runner("alice@ci", Duration.ofSeconds(10), 0.1, RunnerChaos.NONE,
          CanaryClusterRolloutTest.metrics(prom, f));
          KubernetesEnvironment bob = f.runner("bob@laptop", Duration.ofSeconds(10), 0.1, RunnerChaos.NONE,
              CanaryClusterRolloutTest.metrics(prom, f))) {
        assertTrue(alice.deploy(RunnerFixture.order("api", null, true)).ok());
        DeployResult paused = alice.deploy(RunnerFixture.order("api", "2.0.0", false));
        assertTrue(paused.ok(), paused.message());
        assertTrue(paused.message().contains("paused until `slipway promote api --env staging`"), paused.message());
        ClusterStatus.Service api = bob.status().services().get(0);
        assertEquals("pausing", api.phase());
        assertEquals("r1 90% · r2 10%", api.traffic());
        assertNull(api.holder(), "a paused rollout holds no Lease");

        DeployResult promoted = bob.promote("api", true);
        assertTrue(promoted.ok(), promoted.message());
        assertEquals(List.of("live", "superseded"), bob.history("api").stream().map(ClusterRelease::state).toList());
        assertEquals(Map.of("api-r2", 100), CanaryClusterRolloutTest.weights(f));
        KubernetesException nothing = assertThrows(KubernetesException.class, () -> bob.promote("api", false));
        assertTrue(nothing.getMessage().startsWith("nothing to promote: api r2 has ended (live)"), nothing.getMessage());
      }
    }
  }

  @Test
  void abort_ofAPausedCanary_sendsTrafficBackAndRecordsWhoAborted() throws Exception {
    try (FakePrometheus prom = new FakePrometheus().traffic("r1", 900, 0).traffic("r2", 100, 0)) {
      RunnerFixture f = new RunnerFixture(cluster, prom.url().toString(), y -> y.replace("- pause: 2s", "- pause: {}"));
      try (KubernetesEnvironment env = f.runner("alice@ci", Duration.ofSeconds(10), 0.1, RunnerChaos.NONE,
          CanaryClusterRolloutTest.metrics(prom, f))) {
        assertTrue(env.deploy(RunnerFixture.order("api", null, true)).ok());
        assertTrue(env.deploy(RunnerFixture.order("api", "2.0.0", false)).ok());
        DeployResult aborted = env.abort("api");
        assertTrue(aborted.ok(), aborted.message());
        assertEquals(Map.of("api-r1", 100), CanaryClusterRolloutTest.weights(f));
        assertNull(f.deployment("api-r2"));
        ClusterRelease r2 = env.history("api").get(0);
        assertEquals("rolled-back", r2.state());
        assertEquals("aborted by alice@ci", r2.reason());
      }
    }
  }

  @Test
  void rollback_afterTheRolloutEnded_isANewRevisionWithTheEarlierImage() throws Exception {
    RunnerFixture f = new RunnerFixture(cluster, null, UnaryOperator.identity());
    try (KubernetesEnvironment env = f.runner("alice@ci")) {
      assertTrue(env.deploy(RunnerFixture.order("worker", null, true)).ok());
      assertTrue(env.deploy(RunnerFixture.order("worker", "1.1.0", true)).ok());
      DeployResult back = env.rollback("worker", null);
      assertTrue(back.ok(), back.message());
      List<ClusterRelease> h = env.history("worker");
      assertEquals(List.of("r3", "r2", "r1"), h.stream().map(ClusterRelease::id).toList());
      assertEquals("immediate", h.get(0).strategy());
      assertEquals("ghcr.io/acme/shop-worker:1.0.0", h.get(0).image());
      assertEquals(List.of("live", "superseded", "superseded"), h.stream().map(ClusterRelease::state).toList());
      assertEquals("ghcr.io/acme/shop-worker:1.0.0", RunnerFixture.image(f.deployment("worker")));
      assertEquals("r3", RunnerFixture.release(f.deployment("worker")));

      DeployResult to2 = env.rollback("worker", 2);
      assertTrue(to2.ok(), to2.message());
      assertEquals("ghcr.io/acme/shop-worker:1.1.0", RunnerFixture.image(f.deployment("worker")));
      assertEquals("r4", env.history("worker").get(0).id());
    }
  }

  @Test
  void logs_prefixEveryLineWithItsPod() throws Exception {
    RunnerFixture f = new RunnerFixture(cluster, null, UnaryOperator.identity());
    try (KubernetesEnvironment env = f.runner("alice@ci")) {
      assertTrue(env.deploy(RunnerFixture.order("web", null, true)).ok());
      List<String> pods = cluster.client().pods().inNamespace(f.namespace).withLabel(ClusterObjects.NAME, "web").list()
          .getItems().stream().map(p -> p.getMetadata().getName()).sorted().toList();
      assertEquals(2, pods.size());
      cluster.podLog(f.namespace, pods.get(0), "started\nGET /health/ready 200\n");
      cluster.podLog(f.namespace, pods.get(1), "started\n");
      List<String> out = new ArrayList<>();
      env.logs("web", false, 0, out::add);
      assertEquals(List.of(pods.get(0) + " | started", pods.get(0) + " | GET /health/ready 200",
          pods.get(1) + " | started"), out);
    }
  }

  @Test
  void down_deletesWhatSlipwayCreatedAndNothingElse() throws Exception {
    RunnerFixture f = new RunnerFixture(cluster, null, UnaryOperator.identity());
    try (KubernetesEnvironment env = f.runner("alice@ci")) {
      assertTrue(env.deploy(RunnerFixture.order("worker", null, true)).ok());
      cluster.client().configMaps().inNamespace(f.namespace).resource(new ConfigMapBuilder().withNewMetadata()
          .withName("someone-elses").endMetadata().addToData("k", "v").build()).create();
      List<String> plan = env.downPlan();
      assertTrue(plan.contains("Deployment " + f.namespace + "/worker"), plan.toString());
      assertTrue(plan.contains("Deployment " + f.namespace + "/api-r1"), plan.toString());
      assertTrue(plan.contains("StatefulSet " + f.namespace + "/db"), plan.toString());
      assertTrue(plan.contains("Secret " + f.namespace + "/slipway.release.worker.r1"), plan.toString());
      assertFalse(plan.stream().anyMatch(l -> l.contains("someone-elses")), plan.toString());

      env.down();
      assertEquals(List.of(), env.downPlan());
      assertEquals(List.of(), env.history("worker"));
      assertTrue(cluster.client().apps().deployments().inNamespace(f.namespace).list().getItems().isEmpty());
      assertEquals("v", cluster.client().configMaps().inNamespace(f.namespace).withName("someone-elses").get()
          .getData().get("k"), "an object Slipway did not create stays");
    }
  }
}
