package dev.slipway.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.kubernetes.sim.Behaviour;
import dev.slipway.kubernetes.sim.MockCluster;
import dev.slipway.kubernetes.sim.SimKubelet;
import dev.slipway.store.DeploymentPhase;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code web}'s blue-green on the mock cluster: endpoints before the switch, one selector patch, the warm window. */
class BlueGreenClusterRolloutTest {
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
  void blueGreen_healthy_switchesOnceEndpointsAreReadyAndRetiresAfterTheWindow() throws Exception {
    RunnerFixture f = new RunnerFixture(cluster, null, UnaryOperator.identity());
    try (KubernetesEnvironment env = f.runner("alice@ci", Duration.ofSeconds(10), 0.1, RunnerChaos.NONE, null)) {
      assertTrue(env.deploy(RunnerFixture.order("web", null, true)).ok());
      assertEquals("r1", selected(f));
      DeployResult r = env.deploy(RunnerFixture.order("web", "2.0.0", true));
      assertTrue(r.ok(), r.message());
      assertEquals("r2", selected(f));
      int endpoints = f.progress.indexOf("web r2: 2 ready endpoints in Service web-r2");
      int switched = f.progress.indexOf("web r2: Service web now selects r2 (was r1)");
      assertTrue(endpoints >= 0 && switched > endpoints, "endpoints ready before the switch: " + f.progress);
      assertNull(f.deployment("web-r1"), "retired after the window");
      assertEquals(List.of("live", "superseded"), env.history("web").stream().map(ClusterRelease::state).toList());
      assertEquals(DeploymentPhase.DONE, env.history("web").get(0).phase());
    }
  }

  @Test
  void blueGreen_switchesOnlyOnceTheNewPodsAreReadyInTheEndpointSlices_notWhenThePodsAreReady() throws Exception {
    RunnerFixture f = new RunnerFixture(cluster, null, UnaryOperator.identity());
    // The data plane lags: web-r2's slice shows its pods 1.5 s after they are ready.
    kubelet.delayEndpoints(f.namespace, "web-r2", Duration.ofMillis(1500));
    List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    var client = cluster.client();
    var slices = client.discovery().v1().endpointSlices().inNamespace(f.namespace)
        .withLabel("kubernetes.io/service-name", "web-r2").inform(new Recorder<>(events, s -> {
          long ready = s.getEndpoints() == null ? 0 : s.getEndpoints().stream()
              .filter(e -> Boolean.TRUE.equals(e.getConditions().getReady())).count();
          return ready >= 2 ? "slice web-r2 ready" : null;
        }));
    var services = client.services().inNamespace(f.namespace).withName("web").inform(new Recorder<>(events,
        s -> "r2".equals(s.getSpec().getSelector().get(ClusterObjects.RELEASE)) ? "selector web r2" : null));
    try (KubernetesEnvironment env = f.runner("alice@ci", Duration.ofSeconds(10), 0.1, RunnerChaos.NONE, null)) {
      assertTrue(env.deploy(RunnerFixture.order("web", null, true)).ok());
      DeployResult r = env.deploy(RunnerFixture.order("web", "2.0.0", false));
      assertTrue(r.ok(), r.message());
      assertEquals("r2", selected(f));
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (events.stream().noneMatch(e -> e.startsWith("selector")) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      // The server's resourceVersions order the two writes, whatever order the two watches deliver them in.
      long slice = version(events, "slice web-r2 ready");
      long switched = version(events, "selector web r2");
      assertTrue(slice < switched, "the slice showed the new pods ready before the selector moved: " + events);
    } finally {
      slices.close();
      services.close();
      kubelet.delayEndpoints(f.namespace, "web-r2", Duration.ZERO);
    }
  }

  /** The resourceVersion of the first event named {@code what}. */
  private static long version(List<String> events, String what) {
    return events.stream().filter(e -> e.startsWith(what + " @")).map(e -> Long.parseLong(e.substring(what.length() + 2)))
        .findFirst().orElseThrow(() -> new AssertionError("no " + what + " in " + events));
  }

  /** Records {@code NAME @resourceVersion} for each added or updated object that {@code name} names. */
  private record Recorder<T extends io.fabric8.kubernetes.api.model.HasMetadata>(List<String> events,
      java.util.function.Function<T, String> name) implements io.fabric8.kubernetes.client.informers.ResourceEventHandler<T> {
    @Override
    public void onAdd(T o) {
      onUpdate(null, o);
    }

    @Override
    public void onUpdate(T before, T after) {
      String n = name.apply(after);
      if (n != null) {
        events.add(n + " @" + after.getMetadata().getResourceVersion());
      }
    }

    @Override
    public void onDelete(T o, boolean unknown) {}
  }

  @Test
  void blueGreen_withoutWait_returnsOnceSwitched_andARollbackWithinTheWindowSwitchesBack() throws Exception {
    RunnerFixture f = new RunnerFixture(cluster, null, UnaryOperator.identity());
    try (KubernetesEnvironment env = f.runner("alice@ci")) {
      assertTrue(env.deploy(RunnerFixture.order("web", null, true)).ok());
      DeployResult r = env.deploy(RunnerFixture.order("web", "2.0.0", false));
      assertTrue(r.ok(), r.message());
      assertTrue(r.message().contains("r1 stays warm until"), r.message());
      assertEquals("r2", selected(f));
      assertNotNull(f.deployment("web-r1"), "kept warm");
      ClusterStatus.Service web = env.status().services().get(1);
      assertEquals("r2", web.release());
      assertEquals("r2", web.rollout());
      assertEquals("holding", web.phase());

      DeployResult back = env.rollback("web", null);
      assertTrue(back.ok(), back.message());
      assertEquals("r1", selected(f), "the selector is back");
      assertNull(f.deployment("web-r2"));
      assertEquals(List.of("rolled-back", "live"), env.history("web").stream().map(ClusterRelease::state).toList());
      assertEquals("r1", env.status().services().get(1).release());
    }
  }

  @Test
  void blueGreen_afterTheWindow_theNextCommandRetiresTheWarmRelease() throws Exception {
    RunnerFixture f = new RunnerFixture(cluster, null, UnaryOperator.identity());
    try (KubernetesEnvironment env = f.runner("alice@ci", Duration.ofSeconds(10), 0.1, RunnerChaos.NONE, null)) {
      assertTrue(env.deploy(RunnerFixture.order("web", null, true)).ok());
      assertTrue(env.deploy(RunnerFixture.order("web", "2.0.0", false)).ok());
      assertNotNull(f.deployment("web-r1"));
      Thread.sleep(400); // the 2 s window at a tenth
      ClusterStatus.Service web = env.status().services().get(1);
      assertNull(web.rollout(), "status finished the retirement");
      assertNull(f.deployment("web-r1"));
      assertEquals(DeploymentPhase.DONE, env.history("web").get(0).phase());
    }
  }

  @Test
  void blueGreen_whenTheNewSetNeverBecomesReady_neverSwitches() throws Exception {
    kubelet.behave("shop-web:broken", Behaviour.NEVER_READY);
    RunnerFixture f = new RunnerFixture(cluster, null, UnaryOperator.identity());
    try (KubernetesEnvironment env = f.runner("alice@ci")) {
      assertTrue(env.deploy(RunnerFixture.order("web", null, true)).ok());
      DeployResult r = env.deploy(RunnerFixture.order("web", "broken", true));
      assertFalse(r.ok());
      assertTrue(r.message().startsWith("web r2 rolled back: pods never ready"), r.message());
      assertEquals("r1", selected(f));
      assertNull(f.deployment("web-r2"));
      assertEquals(2, f.deployment("web-r1").getStatus().getReadyReplicas());
      assertEquals(List.of("rolled-back", "live"), env.history("web").stream().map(ClusterRelease::state).toList());
    }
  }

  @Test
  void blueGreen_smokeChecksGoThroughTheServiceProxyToTheNewRelease_andAFailureNeverSwitches() throws Exception {
    RunnerFixture f = new RunnerFixture(cluster, null, y -> y.replace("blueGreen: { rollbackWindow: 2s }",
        "blueGreen: { rollbackWindow: 0s, smoke: [ { name: ready, path: /health/ready } ] }"));
    String proxy = "/api/v1/namespaces/" + f.namespace + "/services/web-r2:http/proxy/health/ready";
    cluster.server().expect().get().withPath(proxy).andReturn(503, "warming up").always(); // once() is never matched by this mock
    try (KubernetesEnvironment env = f.runner("alice@ci")) {
      assertTrue(env.deploy(RunnerFixture.order("web", null, true)).ok());
      DeployResult r = env.deploy(RunnerFixture.order("web", "2.0.0", true));
      assertFalse(r.ok());
      assertEquals("web r2 rolled back: smoke check `ready`: GET /health/ready on Service web-r2 answered 503, "
          + "expected 200", r.message());
      assertEquals("r1", selected(f));
      assertNull(f.deployment("web-r2"));

      String proxy3 = proxy.replace("web-r2", "web-r3");
      cluster.server().expect().get().withPath(proxy3).andReturn(200, "ok").always();
      DeployResult ok = env.deploy(RunnerFixture.order("web", "2.0.1", true));
      assertTrue(ok.ok(), ok.message());
      assertEquals("r3", selected(f));
      assertTrue(f.progress.contains("web r3: smoke check `ready`: GET /health/ready on Service web-r3 → 200"),
          f.progress.toString());
    }
  }

  private static String selected(RunnerFixture f) {
    return cluster.client().services().inNamespace(f.namespace).withName("web").get().getSpec().getSelector()
        .get(ClusterObjects.RELEASE);
  }
}
