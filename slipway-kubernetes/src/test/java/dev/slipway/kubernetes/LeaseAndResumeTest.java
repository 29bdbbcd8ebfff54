package dev.slipway.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.kubernetes.sim.MockCluster;
import dev.slipway.kubernetes.sim.SimKubelet;
import dev.slipway.store.DeploymentPhase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two runners on one service: the Lease refuses the second, a killed runner's rollout is continued by another. */
class LeaseAndResumeTest {
  // A cluster per test: a halted runner's client goes away with its watches open, and the mock server
  // stalls its event loop for up to 30 s when a watch closes while it is writing to it.
  MockCluster cluster;
  SimKubelet kubelet;

  @BeforeEach
  void start() {
    cluster = new MockCluster();
    kubelet = RunnerFixture.kubelet(cluster);
  }

  @AfterEach
  void stop() {
    kubelet.errors().forEach(e -> System.out.println("[kubelet error] " + e));
    kubelet.close();
    cluster.close();
  }

  @Test
  void aConcurrentDeployIsRefusedNamingTheHolder_andAPromoteFromElsewhereEndsThePause() throws Exception {
    try (FakePrometheus prom = new FakePrometheus().traffic("r1", 900, 0).traffic("r2", 100, 0)) {
      RunnerFixture f = new RunnerFixture(cluster, prom.url().toString(), y -> y.replace("- pause: 2s", "- pause: {}"));
      try (KubernetesEnvironment alice = f.runner("alice@ci", Duration.ofSeconds(10), 0.1, RunnerChaos.NONE,
          CanaryClusterRolloutTest.metrics(prom, f));
          KubernetesEnvironment bob = f.runner("bob@laptop")) {
        assertTrue(alice.deploy(RunnerFixture.order("api", null, true)).ok());
        CompletableFuture<DeployResult> running = CompletableFuture.supplyAsync(() -> {
          try {
            return alice.deploy(RunnerFixture.order("api", "2.0.0", true));
          } catch (KubernetesException e) {
            throw new IllegalStateException(e);
          }
          // Not the common pool: on two cores it has one thread, which the client's own async work needs.
        }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        awaitPhase(bob, "api", DeploymentPhase.PAUSING, running);

        KubernetesException refused = assertThrows(KubernetesException.class,
            () -> bob.deploy(RunnerFixture.order("api", "3.0.0", true)));
        assertEquals(KubernetesException.HELD, refused.exitCode());
        assertTrue(refused.getMessage().contains("alice@ci"), refused.getMessage());
        assertEquals("alice@ci", bob.status().services().get(0).holder().split(" ")[0]);

        DeployResult asked = bob.promote("api", false);
        assertTrue(asked.message().startsWith("promotion of api r2 requested"), asked.message());
        DeployResult done = running.get(60, TimeUnit.SECONDS);
        assertTrue(done.ok(), done.message());
        assertEquals("live", bob.history("api").get(0).state());
        assertNull(bob.status().services().get(0).holder());
      }
    }
  }

  @Test
  void aRunnerKilledMidCanary_leavesTrafficAsItWas_andAnotherResumesItToTheEnd() throws Exception {
    try (FakePrometheus prom = new FakePrometheus().traffic("r1", 900, 0).traffic("r2", 100, 0)) {
      RunnerFixture f = new RunnerFixture(cluster, prom.url().toString(), java.util.function.UnaryOperator.identity());
      KubernetesEnvironment alice = f.runner("alice@ci", Duration.ofSeconds(2), 0.1,
          RunnerChaos.throwing("step:canary:pausing"), CanaryClusterRolloutTest.metrics(prom, f));
      assertTrue(alice.deploy(RunnerFixture.order("api", null, true)).ok());
      assertThrows(RunnerChaos.Halted.class, () -> alice.deploy(RunnerFixture.order("api", "2.0.0", true)));

      try (KubernetesEnvironment bob = f.runner("bob@laptop", Duration.ofSeconds(10), 0.1, RunnerChaos.NONE,
          CanaryClusterRolloutTest.metrics(prom, f))) {
        ClusterStatus.Service api = bob.status().services().get(0);
        assertEquals("r1", api.release());
        assertEquals("r2", api.rollout());
        assertEquals("pausing", api.phase());
        assertEquals("r1 90% · r2 10%", api.traffic(), "traffic stays as the runner left it");
        assertTrue(api.holder().startsWith("alice@ci"), api.holder());
        assertEquals(Map.of("api-r1", 90, "api-r2", 10), CanaryClusterRolloutTest.weights(f));

        KubernetesException held = assertThrows(KubernetesException.class,
            () -> bob.deploy(new DeployOrder("api", null, null, null, true, null, true)));
        assertEquals(KubernetesException.HELD, held.exitCode());

        long expires = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (bob.status().services().get(0).holder() != null && System.nanoTime() < expires) {
          Thread.sleep(200);
        }
        assertNull(bob.status().services().get(0).holder(), "the killed runner's Lease expired");

        KubernetesException unfinished = assertThrows(KubernetesException.class,
            () -> bob.deploy(RunnerFixture.order("api", "3.0.0", true)));
        assertTrue(unfinished.fix().contains("--resume"), unfinished.fix());

        DeployResult resumed = bob.deploy(new DeployOrder("api", null, null, null, true, null, true));
        assertTrue(resumed.ok(), resumed.message());
        assertEquals(List.of("live", "superseded"), bob.history("api").stream().map(ClusterRelease::state).toList());
        assertEquals(Map.of("api-r2", 100), CanaryClusterRolloutTest.weights(f));
        assertNull(f.deployment("api-r1"));
      } finally {
        alice.close();
      }
    }
  }

  @Test
  void aRunnerKilledWhileRollingBack_isFinishedBackwardsNeverForward() throws Exception {
    try (FakePrometheus prom = new FakePrometheus().traffic("r1", 900, 1).traffic("r2", 100, 30)) {
      RunnerFixture f = new RunnerFixture(cluster, prom.url().toString(), java.util.function.UnaryOperator.identity());
      KubernetesEnvironment alice = f.runner("alice@ci", Duration.ofSeconds(1), 0.1,
          RunnerChaos.throwing("rolling-back"), CanaryClusterRolloutTest.metrics(prom, f));
      assertTrue(alice.deploy(RunnerFixture.order("api", null, true)).ok());
      assertThrows(RunnerChaos.Halted.class, () -> alice.deploy(RunnerFixture.order("api", "2.0.0", true)));
      assertNotNull(f.deployment("api-r2"), "killed after the restore, before the canary went");
      assertEquals(Map.of("api-r1", 100), CanaryClusterRolloutTest.weights(f));

      prom.traffic("r2", 100, 0); // healthy now: a resumed rollout must still not go forward
      try (KubernetesEnvironment bob = f.runner("bob@laptop", Duration.ofSeconds(10), 0.1, RunnerChaos.NONE,
          CanaryClusterRolloutTest.metrics(prom, f))) {
        assertEquals("rolling-back", bob.status().services().get(0).phase());
        DeployResult resumed = bob.deploy(new DeployOrder("api", null, null, null, true, Duration.ofSeconds(10), true));
        assertFalse(resumed.ok());
        ClusterRelease r2 = bob.history("api").get(0);
        assertEquals("rolled-back", r2.state());
        assertTrue(r2.reason().startsWith("analysis failed"), r2.reason());
        assertNull(f.deployment("api-r2"));
        assertEquals(Map.of("api-r1", 100), CanaryClusterRolloutTest.weights(f));
      } finally {
        alice.close();
      }
    }
  }

  @Test
  void aRunnerKilledWhilePromoting_isCompletedNeverJudgedAgain() throws Exception {
    try (FakePrometheus prom = new FakePrometheus().traffic("r1", 900, 0).traffic("r2", 100, 0)) {
      RunnerFixture f = new RunnerFixture(cluster, prom.url().toString(), java.util.function.UnaryOperator.identity());
      KubernetesEnvironment alice = f.runner("alice@ci", Duration.ofSeconds(1), 0.1,
          RunnerChaos.throwing("promoting"), CanaryClusterRolloutTest.metrics(prom, f));
      assertTrue(alice.deploy(RunnerFixture.order("api", null, true)).ok());
      assertThrows(RunnerChaos.Halted.class, () -> alice.deploy(RunnerFixture.order("api", "2.0.0", true)));
      assertEquals(Map.of("api-r2", 100), CanaryClusterRolloutTest.weights(f), "killed with all traffic on r2");

      prom.traffic("r2", 100, 50); // bad now: a promotion already decided is completed all the same
      try (KubernetesEnvironment bob = f.runner("bob@laptop", Duration.ofSeconds(10), 0.1, RunnerChaos.NONE,
          CanaryClusterRolloutTest.metrics(prom, f))) {
        assertEquals("promoting", bob.status().services().get(0).phase());
        DeployResult resumed = bob.deploy(new DeployOrder("api", null, null, null, true, Duration.ofSeconds(10), true));
        assertTrue(resumed.ok(), resumed.message());
        assertEquals(List.of("live", "superseded"), bob.history("api").stream().map(ClusterRelease::state).toList());
        assertNull(f.deployment("api-r1"));
      } finally {
        alice.close();
      }
    }
  }

  private static void awaitPhase(KubernetesEnvironment env, String service, DeploymentPhase phase,
      CompletableFuture<?> running) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < until) {
      if (running.isDone()) {
        running.get(); // its failure, if it failed
        throw new AssertionError("the rollout ended before it paused: " + running.get());
      }
      List<ClusterRelease> h = env.history(service);
      if (!h.isEmpty() && h.get(0).phase() == phase) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(service + " never reached " + phase);
  }
}
