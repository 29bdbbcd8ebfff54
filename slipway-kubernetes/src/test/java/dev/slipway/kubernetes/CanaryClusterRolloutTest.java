package dev.slipway.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.analysis.MetricSource;
import dev.slipway.kubernetes.sim.MockCluster;
import dev.slipway.kubernetes.sim.SimKubelet;
import dev.slipway.model.PrometheusSpec;
import dev.slipway.store.DeploymentPhase;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code api}'s canary on the mock cluster: Deployments per release, weights on the HTTPRoute (the
 * environment has a gateway), analysis by the local judge from a Prometheus API answered with recorded
 * numbers.
 */
class CanaryClusterRolloutTest {
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
  void canary_healthy_shiftsWeightsJudgesAndPromotes() throws Exception {
    try (FakePrometheus prom = new FakePrometheus().traffic("r1", 900, 1).traffic("r2", 100, 0)) {
      RunnerFixture f = new RunnerFixture(cluster, prom.url().toString(), UnaryOperator.identity());
      // No metric source given: the environment's `prometheus:` is read, as the CLI's runner reads it.
      try (KubernetesEnvironment env = f.runner("alice@ci", Duration.ofSeconds(10), 0.1, RunnerChaos.NONE, null)) {
        assertTrue(env.deploy(RunnerFixture.order("api", null, true)).ok());
        DeployResult r = env.deploy(RunnerFixture.order("api", "2.0.0", true));
        assertTrue(r.ok(), r.message());
        assertTrue(f.progress.contains("api r2: canary 10% (HTTPRoute weights 90/10)"), f.progress.toString());
        assertTrue(f.progress.contains("api r2: canary 50% (HTTPRoute weights 50/50)"), f.progress.toString());
        assertTrue(f.progress.stream().anyMatch(l -> l.startsWith("api r2: analysis passed")), f.progress.toString());
        assertEquals(Map.of("api-r2", 100), weights(f));
        assertNull(f.deployment("api-r1"), "the stable release is retired");
        assertEquals("ghcr.io/acme/shop-api:2.0.0", RunnerFixture.image(f.deployment("api-r2")));
        List<ClusterRelease> h = env.history("api");
        assertEquals(List.of("live", "superseded"), h.stream().map(ClusterRelease::state).toList());
        assertTrue(h.get(0).measurements().get("canary.requests") >= 200, h.get(0).measurements().toString());
        ClusterStatus.Service api = env.status().services().get(0);
        assertEquals("r2", api.release());
        assertNull(api.traffic());
      }
    }
  }

  @Test
  void canary_withoutIngress_splitsByReplicasAndSaysItIsCoarse() throws Exception {
    try (FakePrometheus prom = new FakePrometheus().traffic("r1", 900, 1).traffic("r2", 100, 0)) {
      RunnerFixture f = new RunnerFixture(cluster, prom.url().toString(),
          y -> y.replace("    ingress: { host: shop.example.com, path: /api }\n", ""));
      try (KubernetesEnvironment env = f.runner("alice@ci", Duration.ofSeconds(10), 0.1, RunnerChaos.NONE, null)) {
        assertTrue(env.deploy(RunnerFixture.order("api", null, true)).ok());
        DeployResult r = env.deploy(RunnerFixture.order("api", "2.0.0", true));
        assertTrue(r.ok(), r.message());
        assertTrue(f.progress.contains("api r2: Deployment api-r2 with 0 pods (ghcr.io/acme/shop-api:2.0.0)"),
            "no canary pod takes traffic before the first weight: " + f.progress);
        assertTrue(f.progress.contains("api r2: canary 10% (replicas 2/1, coarse)"), f.progress.toString());
        assertNull(f.deployment("api-r1"));
        assertEquals(2, f.deployment("api-r2").getSpec().getReplicas());
        assertEquals("live", env.history("api").get(0).state());
      }
    }
  }

  @Test
  void canary_whenAnalysisFails_sendsTrafficBackToStableInOnePatchThenRetiresTheCanary() throws Exception {
    try (FakePrometheus prom = new FakePrometheus().traffic("r1", 900, 1).traffic("r2", 100, 20)) {
      RunnerFixture f = new RunnerFixture(cluster, prom.url().toString(), UnaryOperator.identity());
      AtomicInteger writesDuringRestore = new AtomicInteger(-1);
      String routePath = "/namespaces/" + f.namespace + "/httproutes/api";
      // A recording hook at the point right after the restore: how many writes of the route since the verdict.
      RunnerChaos hook = new RunnerChaos(List.of("rolling-back"), where -> writesDuringRestore.set(drain(routePath)));
      try (KubernetesEnvironment env = f.runner("alice@ci", Duration.ofSeconds(10), 0.1, hook, service -> {
        MetricSource real = metrics(prom, f).apply(service);
        return new MetricSource() {
          @Override
          public String id() {
            return real.id();
          }

          @Override
          public dev.slipway.analysis.Sample sample(String s) throws dev.slipway.analysis.AnalysisException {
            drain(routePath); // every write before the last sample was the weights' shift
            return real.sample(s);
          }
        };
      })) {
        assertTrue(env.deploy(RunnerFixture.order("api", null, true)).ok());
        DeployResult r = env.deploy(RunnerFixture.order("api", "2.0.0-bad", true));
        assertFalse(r.ok());
        assertTrue(r.message().startsWith("api r2 rolled back: analysis failed: canary error rate"), r.message());
        assertEquals(1, writesDuringRestore.get(), "traffic goes back to stable with one write of the HTTPRoute");
        assertEquals(Map.of("api-r1", 100), weights(f));
        assertNull(f.deployment("api-r2"), "the canary is scaled down and deleted");
        assertEquals(2, f.deployment("api-r1").getSpec().getReplicas());
        ClusterRelease rolled = env.history("api").get(0);
        assertEquals("rolled-back", rolled.state());
        assertEquals(DeploymentPhase.DONE, rolled.phase());
        assertTrue(rolled.measurements().get("canary.errorRate") > 0.1, rolled.measurements().toString());
        assertEquals("r1", env.status().services().get(0).release());
      }
    }
  }

  @Test
  void canary_whoseCustomQueryBreachesItsMax_isRolledBack() throws Exception {
    // No 5xx at all: only the step's own query (a database error rate above its max) can fail the canary.
    try (FakePrometheus prom = new FakePrometheus().traffic("r1", 900, 1).traffic("r2", 100, 0)
        .custom("db_errors_total", 3.0)) {
      RunnerFixture f = new RunnerFixture(cluster, prom.url().toString(), y -> y.replace(
          "- analysis: { maxErrorRate: 1%, minRequests: 200, timeout: 20s }",
          "- analysis: { maxErrorRate: 1%, minRequests: 200, timeout: 20s, queries: [{ name: db-errors, "
              + "query: 'sum(rate(db_errors_total{release=\"{{canary}}\", service=\"{{service}}\"}[{{window}}]))', "
              + "max: 0.5 }] }"));
      try (KubernetesEnvironment env = f.runner("alice@ci", Duration.ofSeconds(10), 0.1, RunnerChaos.NONE, null)) {
        assertTrue(env.deploy(RunnerFixture.order("api", null, true)).ok());
        // Not waiting at a pause: a step left inconclusive (queries never asked) would return paused, not hang.
        DeployResult r = env.deploy(RunnerFixture.order("api", "2.0.0", false));
        assertFalse(r.ok(), r.message());
        assertTrue(r.message().startsWith("api r2 rolled back: analysis failed: query db-errors 3 is above its max 0.5"),
            r.message());
        assertTrue(prom.customAsked.get(0).matches(
            "sum\\(rate\\(db_errors_total\\{release=\"r2\", service=\"api\"\\}\\[[0-9]+s\\]\\)\\)"),
            prom.customAsked.toString());
        assertEquals(Map.of("api-r1", 100), weights(f));
        assertNull(f.deployment("api-r2"), "the canary is scaled down and deleted");
        ClusterRelease rolled = env.history("api").get(0);
        assertEquals("rolled-back", rolled.state());
        assertEquals(3.0, rolled.measurements().get("queries.db-errors"), rolled.measurements().toString());
      }
    }
  }

  @Test
  void canary_withAnalysis_onAnEnvironmentWithoutPrometheus_isRefusedBeforeItStarts() throws Exception {
    RunnerFixture f = new RunnerFixture(cluster, null, y -> y.replace("    prometheus: http://127.0.0.1:9\n", ""));
    try (KubernetesEnvironment env = f.runner("alice@ci")) {
      KubernetesException e = org.junit.jupiter.api.Assertions.assertThrows(KubernetesException.class,
          () -> env.deploy(RunnerFixture.order("api", "2.0.0", true)));
      assertEquals(KubernetesException.BAD_INPUT, e.exitCode());
      assertTrue(e.getMessage().contains("has no `prometheus:`"), e.getMessage());
      assertEquals(List.of(), env.history("api"), "nothing was recorded or applied");
    }
  }

  /** The environment's metric source, as the runner makes it, on the recorded Prometheus. */
  static Function<String, MetricSource> metrics(FakePrometheus prom, RunnerFixture f) {
    return service -> new ClusterMetricSource(new PrometheusSpec(prom.url()), f.namespace, Duration.ofSeconds(5),
        java.time.Clock.systemUTC());
  }

  /** The HTTPRoute's backends and weights. */
  @SuppressWarnings("unchecked")
  static Map<String, Integer> weights(RunnerFixture f) {
    GenericKubernetesResource route = f.cluster.client().genericKubernetesResources(MockCluster.HTTP_ROUTE)
        .inNamespace(f.namespace).withName("api").get();
    Map<String, Integer> out = new java.util.TreeMap<>();
    for (Object rule : (List<Object>) ((Map<String, Object>) route.getAdditionalProperties().get("spec")).get("rules")) {
      for (Object ref : (List<Object>) ((Map<String, Object>) rule).get("backendRefs")) {
        Map<String, Object> b = (Map<String, Object>) ref;
        int w = ((Number) b.getOrDefault("weight", 1)).intValue();
        if (w > 0) {
          out.put((String) b.get("name"), w);
        }
      }
    }
    return out;
  }

  /** Takes every request the mock recorded so far; counts the writes (PATCH, PUT) of {@code path}. */
  static int drain(String path) {
    int writes = 0;
    try {
      RecordedRequest req;
      while ((req = cluster.server().takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
        if (req.getPath().contains(path) && !req.getPath().contains(path + "/status")
            && (req.getMethod().equals("PATCH") || req.getMethod().equals("PUT"))) {
          writes++;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return writes;
  }
}
