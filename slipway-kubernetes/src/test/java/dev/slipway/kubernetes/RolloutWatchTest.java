package dev.slipway.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The waits against the fabric8 mock server (CRUD): the test itself plays kubelet and controller here,
 * writing pods and status the way they would, so each outcome can be forced.
 */
@EnableKubernetesMockClient(crud = true)
class RolloutWatchTest {
  static KubernetesClient client;
  private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
  private static final java.util.concurrent.atomic.AtomicInteger TESTS = new java.util.concurrent.atomic.AtomicInteger();
  private final List<String> progress = new CopyOnWriteArrayList<>();
  /** One namespace per test: the mock server lives as long as the class. */
  private final String ns = "watch-" + TESTS.incrementAndGet();

  private final List<RolloutWatch> watches = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    later.shutdownNow();
    watches.forEach(RolloutWatch::close);
  }

  @Test
  void deployment_whenEveryPodBecomesReady_isReadyAndReportsTheCount() throws Exception {
    Deployment d = deployment("api", 2);
    later.schedule(() -> {
      pod("api-r2-a", true, 0);
      pod("api-r2-b", true, 0);
      status(d, 2, 2, 2);
    }, 300, TimeUnit.MILLISECONDS);
    long start = System.nanoTime();
    RolloutWatch.Outcome o = watch().deployment("api", "r2", "api r2", Duration.ofSeconds(10), progress::add);
    assertEquals(new RolloutWatch.Outcome.Ready(2, null), o);
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "an event ends the wait, not the deadline");
    assertEquals("api r2: 2/2 pods ready", progress.get(progress.size() - 1));
  }

  @Test
  void deployment_whenTheStatusIsOfAnOlderGeneration_isNotReadyYet() throws Exception {
    Deployment d = deployment("api", 1);
    pod("api-r2-a", true, 0);
    client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder(d).editMetadata().endMetadata()
        .withStatus(new DeploymentStatusBuilder().withObservedGeneration(0L).withReplicas(1).withUpdatedReplicas(1)
            .withAvailableReplicas(1).build()).build()).updateStatus();
    RolloutWatch.Outcome o = watch().deployment("api", "r2", "api r2", Duration.ofMillis(600), progress::add);
    assertInstanceOf(RolloutWatch.Outcome.Failed.class, o, "an unobserved template is not rolled out: " + o);
  }

  @Test
  void deployment_whenAPodRestartsThreeTimes_failsAtOnceNamingThePod() throws Exception {
    deployment("api", 1);
    later.schedule(() -> pod("api-r2-a", false, 3), 200, TimeUnit.MILLISECONDS);
    long start = System.nanoTime();
    RolloutWatch.Outcome o = watch().deployment("api", "r2", "api r2", Duration.ofSeconds(20), progress::add);
    assertEquals(new RolloutWatch.Outcome.Failed("crash loop: pod api-r2-a restarted 3 times, last exit 1 (Error)"), o);
    assertTrue(System.nanoTime() - start < 10_000_000_000L);
  }

  @Test
  void deployment_whenPodsStayUnready_failsAfterTheStallSayingWhy() throws Exception {
    deployment("api", 1);
    pod("api-r2-a", false, 0);
    RolloutWatch.Outcome o = watch().deployment("api", "r2", "api r2", Duration.ofMillis(800), progress::add);
    assertEquals(new RolloutWatch.Outcome.Failed("pods never ready: api-r2-a: readiness probe failed: HTTP 503"), o);
  }

  @Test
  void deployment_countsOnlyThePodsOfItsRelease() throws Exception {
    Deployment d = deployment("api", 1);
    pod("api-r1-old", true, 0); // labelled r1: another release's pod must not make r2 look ready
    status(d, 1, 1, 0);
    RolloutWatch.Outcome o = watch().deployment("api", "r2", "api r2", Duration.ofMillis(600), progress::add);
    assertEquals(new RolloutWatch.Outcome.Failed("no pods were created for api"), o);
  }

  @Test
  void endpoints_waitForReadyEndpointsInTheServicesSlices() throws Exception {
    later.schedule(() -> slice("web-r2-abc", "web-r2", true, false), 200, TimeUnit.MILLISECONDS);
    later.schedule(() -> slice("web-r2-def", "web-r2", true, false), 400, TimeUnit.MILLISECONDS);
    assertEquals(new RolloutWatch.Outcome.Ready(2, null), watch().endpoints("web-r2", 2, Duration.ofSeconds(10)));
  }

  @Test
  void endpoints_whenNotAllAreReady_failsAtTheDeadline() throws Exception {
    slice("web-r3-abc", "web-r3", true, false);
    RolloutWatch.Outcome o = watch().endpoints("web-r3", 2, Duration.ofMillis(500));
    assertInstanceOf(RolloutWatch.Outcome.Failed.class, o);
    assertTrue(((RolloutWatch.Outcome.Failed) o).reason().contains("1 of 2 ready endpoints"), o.toString());
  }

  @Test
  void annotation_endsTheWaitWithItsValue() throws Exception {
    deployment("web", 1);
    later.schedule(() -> client.apps().deployments().inNamespace(ns).withName("web")
        .edit(x -> new DeploymentBuilder(x).editMetadata().addToAnnotations("slipway.dev/promote", "bob").endMetadata()
            .build()), 200, TimeUnit.MILLISECONDS);
    assertEquals(new RolloutWatch.Outcome.Ready(0, "bob"),
        watch().annotation("web", "slipway.dev/promote", Duration.ofSeconds(10)));
  }

  private RolloutWatch watch() {
    RolloutWatch w = new RolloutWatch(client, ns);
    watches.add(w);
    return w;
  }

  private Deployment deployment(String name, int replicas) {
    return client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(ns).withGeneration(1L).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).addToLabels("slipway.dev/release", "r2")
        .endMetadata().withNewSpec().addNewContainer().withName(name).withImage("x:2").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
  }

  private void status(Deployment d, int replicas, int updated, int available) {
    Deployment current = client.apps().deployments().inNamespace(ns).withName(d.getMetadata().getName()).get();
    current.setStatus(new DeploymentStatusBuilder().withObservedGeneration(current.getMetadata().getGeneration())
        .withReplicas(replicas).withUpdatedReplicas(updated).withAvailableReplicas(available).withReadyReplicas(available)
        .build());
    client.apps().deployments().inNamespace(ns).resource(current).updateStatus();
  }

  private void pod(String name, boolean ready, int restarts) {
    String release = name.split("-")[1];
    PodBuilder p = new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).addToLabels("app", "api")
        .addToLabels("slipway.dev/release", release).addToLabels("app.kubernetes.io/managed-by", "slipway").endMetadata();
    var status = new ContainerStatusBuilder().withName("api").withRestartCount(restarts).withReady(ready);
    if (restarts > 0) {
      status.withNewLastState().withNewTerminated().withExitCode(1).withReason("Error").endTerminated().endLastState();
    }
    Pod pod = p.withNewStatus().withPhase("Running").addNewCondition().withType("Ready")
        .withStatus(ready ? "True" : "False").withMessage(ready ? null : "readiness probe failed: HTTP 503").endCondition()
        .withContainerStatuses(status.build()).endStatus().build();
    client.pods().inNamespace(ns).resource(pod).create();
  }

  private void slice(String name, String service, boolean a, boolean b) {
    client.discovery().v1().endpointSlices().inNamespace(ns).resource(new EndpointSliceBuilder().withNewMetadata()
        .withName(name).withNamespace(ns).addToLabels(RolloutWatch.SERVICE_NAME_LABEL, service).endMetadata()
        .withAddressType("IPv4")
        .addNewEndpoint().withAddresses("10.0.0.1").withNewConditions().withReady(a).endConditions()
        .withNewTargetRef().withKind("Pod").withName(name + "-1").endTargetRef().endEndpoint()
        .addNewEndpoint().withAddresses("10.0.0.2").withNewConditions().withReady(b).endConditions()
        .withNewTargetRef().withKind("Pod").withName(name + "-2").endTargetRef().endEndpoint()
        .build()).create();
  }
}
