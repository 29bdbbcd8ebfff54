package dev.slipway.kubernetes.sim;

import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimKubeletTest {

  private static final String NS = "shop";

  private MockCluster cluster;
  private KubernetesClient k;
  private SimKubelet kubelet;

  @BeforeEach
  void start() {
    cluster = new MockCluster();
    k = cluster.client();
    kubelet = new SimKubelet(k).readyDelay(Duration.ofMillis(50));
  }

  @AfterEach
  void stop() {
    kubelet.close();
    cluster.close();
  }

  @Test
  void deployment_becomesReady_withTheStatusTheDeploymentControllerWrites() {
    kubelet.start();
    k.apps().deployments().inNamespace(NS).resource(deployment("api", "api:v1", 3)).create();

    Deployment d = awaitDeployment("api", x -> reason(x, "Progressing").equals("NewReplicaSetAvailable"));

    assertThat(d.getStatus().getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
    assertThat(d.getStatus().getReplicas()).isEqualTo(3);
    assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(3);
    assertThat(d.getStatus().getReadyReplicas()).isEqualTo(3);
    assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(3);
    assertThat(d.getStatus().getUnavailableReplicas()).isZero();
    assertThat(condition(d, "Available").getStatus()).isEqualTo("True");
    List<ReplicaSet> sets = k.apps().replicaSets().inNamespace(NS).list().getItems();
    assertThat(sets).hasSize(1);
    ReplicaSet rs = sets.get(0);
    assertThat(rs.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo(d.getMetadata().getUid());
    String hash = rs.getMetadata().getLabels().get("pod-template-hash");
    assertThat(rs.getMetadata().getName()).isEqualTo("api-" + hash);
    List<Pod> pods = pods("app", "api");
    assertThat(pods).hasSize(3).allSatisfy(p -> {
      assertThat(p.getMetadata().getLabels()).containsEntry("pod-template-hash", hash);
      assertThat(p.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo(rs.getMetadata().getName());
      assertThat(p.getStatus().getPhase()).isEqualTo("Running");
      assertThat(p.getStatus().getPodIP()).startsWith("10.244.");
    });

    // Settled means settled: no controller keeps rewriting an unchanged status.
    kubelet.awaitIdle();
    int writes = kubelet.statusWrites();
    kubelet.awaitIdle();
    assertThat(kubelet.statusWrites()).as("%s", kubelet.counters()).isEqualTo(writes);
    assertThat(kubelet.errors()).isEmpty();
  }

  @Test
  void rollingUpdate_whoseNewPodsNeverBecomeReady_keepsTheOldPodsServing_andExceedsItsDeadline() {
    kubelet.behave("api:v2", Behaviour.NEVER_READY).start();
    Deployment d = deployment("api", "api:v1", 2);
    d.getSpec().setProgressDeadlineSeconds(2);
    d.getSpec().setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
        .withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(0)).endRollingUpdate().build());
    k.apps().deployments().inNamespace(NS).resource(d).create();
    awaitDeployment("api", x -> reason(x, "Progressing").equals("NewReplicaSetAvailable"));

    long updatedAt = System.nanoTime();
    onConflictRetry(() -> k.apps().deployments().inNamespace(NS).withName("api")
        .edit(x -> { x.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("api:v2"); return x; }));
    Deployment after = awaitDeployment("api", x -> reason(x, "Progressing").equals("ProgressDeadlineExceeded"));

    assertThat(Duration.ofNanos(System.nanoTime() - updatedAt)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(condition(after, "Progressing").getStatus()).isEqualTo("False");
    assertThat(after.getStatus().getObservedGeneration()).isEqualTo(after.getMetadata().getGeneration());
    assertThat(after.getStatus().getUpdatedReplicas()).isEqualTo(1);
    assertThat(after.getStatus().getAvailableReplicas()).isEqualTo(2);
    assertThat(after.getStatus().getReplicas()).isEqualTo(3);
    List<Pod> pods = pods("app", "api");
    assertThat(pods.stream().filter(p -> image(p).equals("api:v1")).filter(Sim::ready)).hasSize(2);
    assertThat(pods.stream().filter(p -> image(p).equals("api:v2"))).hasSize(1).noneMatch(Sim::ready);

    // Restoring the previous template reuses its ReplicaSet: the serving pods stay, the new one goes.
    onConflictRetry(() -> k.apps().deployments().inNamespace(NS).withName("api")
        .edit(x -> { x.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("api:v1"); return x; }));
    Deployment restored = awaitDeployment("api", x -> Objects.equals(x.getStatus().getObservedGeneration(), x.getMetadata().getGeneration())
        && reason(x, "Progressing").equals("NewReplicaSetAvailable"));
    assertThat(restored.getStatus().getReplicas()).isEqualTo(2);
    assertThat(pods("app", "api")).extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(pods.stream().filter(p -> image(p).equals("api:v1")).map(p -> p.getMetadata().getName()).toList());
  }

  @Test
  void recreate_startsNewPodsOnlyOnceTheOldAreGone_andADeletedDeploymentLeavesNothing() {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    Watch watch = k.pods().inNamespace(NS).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod p) {
        if (action != Action.MODIFIED) {
          events.add(action + " " + image(p));
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
    kubelet.start();
    Deployment d = deployment("api", "api:v1", 2);
    d.getSpec().setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder().withType("Recreate").build());
    k.apps().deployments().inNamespace(NS).resource(d).create();
    awaitDeployment("api", x -> reason(x, "Progressing").equals("NewReplicaSetAvailable"));
    onConflictRetry(() -> k.apps().deployments().inNamespace(NS).withName("api")
        .edit(x -> { x.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("api:v2"); return x; }));
    awaitDeployment("api", x -> Objects.equals(x.getStatus().getObservedGeneration(), x.getMetadata().getGeneration())
        && reason(x, "Progressing").equals("NewReplicaSetAvailable"));
    kubelet.awaitIdle();
    watch.close();
    assertThat(events).containsExactly("ADDED api:v1", "ADDED api:v1", "DELETED api:v1", "DELETED api:v1", "ADDED api:v2", "ADDED api:v2");

    k.apps().deployments().inNamespace(NS).withName("api").delete();
    kubelet.awaitIdle();
    assertThat(k.apps().replicaSets().inNamespace(NS).list().getItems()).isEmpty();
    assertThat(k.pods().inNamespace(NS).list().getItems()).isEmpty();
  }

  @Test
  void awaitIdle_waitsForPodsAboutToBecomeReady_andNamesWhatIsPendingWhenItTimesOut() {
    kubelet.readyDelay(Duration.ofMillis(700)).start();
    k.apps().deployments().inNamespace(NS).resource(deployment("api", "api:v1", 2)).create();

    assertThatThrownBy(() -> kubelet.awaitIdle(Duration.ofMillis(300)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not idle");
    kubelet.awaitIdle();
    Deployment d = k.apps().deployments().inNamespace(NS).withName("api").get();
    assertThat(d.getStatus().getReadyReplicas()).isEqualTo(2);
    assertThat(kubelet.podsCreated()).isEqualTo(2);
    assertThat(kubelet.statusWrites("Pod")).isEqualTo(4);
    assertThat(kubelet.statusWrites("Deployment")).isPositive();
    assertThat(kubelet.errors()).isEmpty();
  }

  @Test
  void rollingUpdate_toAReadyImage_replacesEveryPod_andScales() {
    kubelet.start();
    k.apps().deployments().inNamespace(NS).resource(deployment("api", "api:v1", 3)).create();
    awaitDeployment("api", x -> reason(x, "Progressing").equals("NewReplicaSetAvailable"));

    onConflictRetry(() -> k.apps().deployments().inNamespace(NS).withName("api")
        .edit(x -> { x.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("api:v2"); return x; }));
    awaitDeployment("api", x -> Objects.equals(x.getStatus().getObservedGeneration(), x.getMetadata().getGeneration())
        && reason(x, "Progressing").equals("NewReplicaSetAvailable"));
    assertThat(pods("app", "api")).hasSize(3).allMatch(p -> image(p).equals("api:v2") && Sim.ready(p));

    k.apps().deployments().inNamespace(NS).withName("api").scale(1);
    Deployment d = awaitDeployment("api", x -> x.getStatus().getReplicas() == 1 && reason(x, "Progressing").equals("NewReplicaSetAvailable"));
    assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(1);
    assertThat(pods("app", "api")).hasSize(1);
  }

  @Test
  void crashLoop_showsCrashLoopBackOff_withRestartsGrowing() {
    kubelet.behave("worker:bad", Behaviour.CRASH_LOOP).crashInterval(Duration.ofMillis(100)).start();
    k.apps().deployments().inNamespace(NS).resource(deployment("worker", "worker:bad", 1)).create();

    Pod pod = k.pods().inNamespace(NS).withLabel("app", "worker")
        .informOnCondition(ps -> ps.stream().anyMatch(p -> restarts(p) >= 3))
        .thenApply(ps -> ps.get(0)).toCompletableFuture().orTimeout(10, SECONDS).join();

    ContainerStatus c = pod.getStatus().getContainerStatuses().get(0);
    assertThat(c.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
    assertThat(c.getLastState().getTerminated().getExitCode()).isEqualTo(1);
    assertThat(Sim.ready(pod)).isFalse();
    Deployment d = k.apps().deployments().inNamespace(NS).withName("worker").get();
    assertThat(d.getStatus().getReadyReplicas()).isZero();
    assertThat(condition(d, "Available").getStatus()).isEqualTo("False");
  }

  @Test
  void endpointSlice_followsTheServiceSelector_andReportsReadiness() {
    kubelet.behave("api:v3", Behaviour.NEVER_READY).start();
    k.apps().deployments().inNamespace(NS).resource(release("api-r1", "r1", "api:v1")).create();
    k.apps().deployments().inNamespace(NS).resource(release("api-r2", "r2", "api:v2")).create();
    k.apps().deployments().inNamespace(NS).resource(release("api-r3", "r3", "api:v3")).create();
    k.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("api").endMetadata()
        .withNewSpec().addToSelector(Map.of("app", "api", "slipway.dev/release", "r1"))
        .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(8080)).endPort().endSpec().build()).create();

    EndpointSlice slice = awaitSlice("api", s -> endpoints(s, "r1", true) == 2);
    assertThat(slice.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "api");
    assertThat(slice.getPorts().get(0).getPort()).isEqualTo(8080);
    assertThat(slice.getEndpoints()).allSatisfy(e -> assertThat(e.getConditions().getServing()).isTrue());

    k.services().inNamespace(NS).withName("api")
        .edit(s -> { s.getSpec().getSelector().put("slipway.dev/release", "r2"); return s; });
    slice = awaitSlice("api", s -> endpoints(s, "r2", true) == 2);
    assertThat(slice.getEndpoints()).hasSize(2);

    k.services().inNamespace(NS).withName("api")
        .edit(s -> { s.getSpec().getSelector().put("slipway.dev/release", "r3"); return s; });
    slice = awaitSlice("api", s -> endpoints(s, "r3", false) == 2);
    assertThat(slice.getEndpoints()).hasSize(2).noneMatch(e -> e.getConditions().getReady());
  }

  @Test
  void statefulSet_createsPodsInOrder_andBecomesReady() {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    Watch watch = k.pods().inNamespace(NS).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod p) {
        events.add(action + " " + p.getMetadata().getName() + (Sim.ready(p) ? " ready" : ""));
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
    kubelet.start();
    StatefulSet s = new StatefulSetBuilder().withNewMetadata().withName("db").endMetadata()
        .withNewSpec().withReplicas(3).withServiceName("db").withNewSelector().addToMatchLabels("app", "db").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "db").endMetadata()
        .withNewSpec().addNewContainer().withName("db").withImage("postgres:16").endContainer().endSpec().endTemplate()
        .endSpec().build();
    k.apps().statefulSets().inNamespace(NS).resource(s).create();

    StatefulSet ready = k.apps().statefulSets().inNamespace(NS).withName("db")
        .waitUntilCondition(x -> x.getStatus() != null && x.getStatus().getReadyReplicas() != null && x.getStatus().getReadyReplicas() == 3, 10, SECONDS);
    watch.close();

    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(ready.getMetadata().getGeneration());
    assertThat(ready.getStatus().getCurrentReplicas()).isEqualTo(3);
    assertThat(ready.getStatus().getUpdatedReplicas()).isEqualTo(3);
    assertThat(ready.getStatus().getCurrentRevision()).isEqualTo(ready.getStatus().getUpdateRevision());
    assertThat(pods("app", "db")).extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder("db-0", "db-1", "db-2");
    assertThat(events.indexOf("ADDED db-1")).isGreaterThan(events.indexOf("MODIFIED db-0 ready")).isPositive();
    assertThat(events.indexOf("ADDED db-2")).isGreaterThan(events.indexOf("MODIFIED db-1 ready"));

    onConflictRetry(() -> k.apps().statefulSets().inNamespace(NS).withName("db")
        .edit(x -> { x.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("postgres:17"); return x; }));
    StatefulSet updated = k.apps().statefulSets().inNamespace(NS).withName("db")
        .waitUntilCondition(x -> x.getStatus().getUpdatedReplicas() == 3 && x.getStatus().getReadyReplicas() == 3
            && x.getStatus().getObservedGeneration().equals(x.getMetadata().getGeneration()), 10, SECONDS);
    assertThat(updated.getStatus().getCurrentRevision()).isEqualTo(updated.getStatus().getUpdateRevision());
    assertThat(pods("app", "db")).hasSize(3).allMatch(p -> image(p).equals("postgres:17"));
  }

  @Test
  void httpRoute_isAcceptedAtItsGeneration_andResolvesItsBackends() {
    kubelet.start();
    GenericKubernetesResource route = new GenericKubernetesResourceBuilder()
        .withApiVersion("gateway.networking.k8s.io/v1").withKind("HTTPRoute")
        .withNewMetadata().withName("api").withNamespace(NS).endMetadata()
        .addToAdditionalProperties("spec", Map.of(
            "parentRefs", List.of(Map.of("name", "gateway")),
            "rules", List.of(Map.of("backendRefs", List.of(Map.of("name", "api-r1", "port", 80, "weight", 100))))))
        .build();
    var routes = k.genericKubernetesResources(MockCluster.HTTP_ROUTE).inNamespace(NS);
    routes.resource(route).create();

    GenericKubernetesResource accepted = routes.withName("api").waitUntilCondition(
        r -> "True".equals(routeCondition(r, "Accepted", "status")), 10, SECONDS);
    assertThat(routeCondition(accepted, "Accepted", "observedGeneration")).isEqualTo("1");
    assertThat(routeCondition(accepted, "ResolvedRefs", "reason")).isEqualTo("BackendNotFound");

    k.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("api-r1").endMetadata()
        .withNewSpec().addToSelector("app", "api").addNewPort().withPort(80).endPort().endSpec().build()).create();
    routes.withName("api").waitUntilCondition(r -> "True".equals(routeCondition(r, "ResolvedRefs", "status")), 10, SECONDS);

    routes.withName("api").edit(r -> {
      r.setAdditionalProperty("spec", Map.of("parentRefs", List.of(Map.of("name", "gateway")), "rules", List.of()));
      return r;
    });
    GenericKubernetesResource second = routes.withName("api").waitUntilCondition(
        r -> "2".equals(routeCondition(r, "Accepted", "observedGeneration")), 10, SECONDS);
    assertThat(second.getMetadata().getGeneration()).isEqualTo(2L);
  }

  // --- helpers

  private Deployment awaitDeployment(String name, java.util.function.Predicate<Deployment> p) {
    return k.apps().deployments().inNamespace(NS).withName(name)
        .waitUntilCondition(d -> d != null && d.getStatus() != null && p.test(d), 10, SECONDS);
  }

  /**
   * Waits up to 10 s for the service's one slice to satisfy {@code p}, checking on this thread. Not
   * {@code informOnCondition}: it runs its predicate on the thread that reads the client's one HTTP/2
   * connection, and {@link #endpoints}' GETs wait there for answers only that thread can read, which
   * stalled every request of the client for good. Every call is bounded, so a stalled API server fails
   * the test with what the cluster holds instead of hanging it.
   */
  private EndpointSlice awaitSlice(String service, java.util.function.Predicate<EndpointSlice> p) {
    long deadline = System.nanoTime() + SECONDS.toNanos(10);
    String seen = "none";
    while (true) {
      List<EndpointSlice> slices;
      try {
        slices = bounded(deadline, () -> k.discovery().v1().endpointSlices().inNamespace(NS)
            .withLabel("kubernetes.io/service-name", service).list().getItems());
        seen = Sim.json(slices);
        if (slices.size() == 1 && bounded(deadline, () -> p.test(slices.get(0)))) {
          return slices.get(0);
        }
      } catch (TimeoutException e) {
        throw new AssertionError("no such slice of " + service + " within 10 s: a read of the cluster did not return"
            + " (last slices: " + seen + "); " + clusterState(service), e);
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("no such slice of " + service + " within 10 s; slices: " + seen + "; " + clusterState(service));
      }
      sleep(Duration.ofMillis(25));
    }
  }

  /** Pods, selector and kubelet errors for a failure message; each read given 5 s of its own. */
  private String clusterState(String service) {
    long deadline = System.nanoTime() + SECONDS.toNanos(5);
    try {
      return "pods: " + bounded(deadline, () -> k.pods().inNamespace(NS).list().getItems().stream()
              .map(x -> x.getMetadata().getName() + " " + x.getMetadata().getLabels() + " ip="
                  + (x.getStatus() == null ? null : x.getStatus().getPodIP())).toList())
          + "; service: " + bounded(deadline, () -> k.services().inNamespace(NS).withName(service).get().getSpec().getSelector())
          + "; kubelet errors: " + kubelet.errors();
    } catch (TimeoutException e) {
      return "the API server answered no read within 5 s either; kubelet errors: " + kubelet.errors();
    }
  }

  /** Runs a blocking call on a thread of its own and gives up on it at the deadline. */
  private static <T> T bounded(long deadline, java.util.function.Supplier<T> call) throws TimeoutException {
    CompletableFuture<T> f = CompletableFuture.supplyAsync(call, r -> Thread.ofVirtual().name("await-slice").start(r));
    try {
      return f.get(Math.max(0, deadline - System.nanoTime()), NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new AssertionError(e.getCause());
    } finally {
      f.cancel(true);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** How many endpoints of the slice are pods of that release with that readiness; -1 if any is another's. */
  private long endpoints(EndpointSlice s, String release, boolean ready) {
    if (s.getEndpoints() == null) {
      return 0;
    }
    long n = 0;
    for (Endpoint e : s.getEndpoints()) {
      Pod p = k.pods().inNamespace(NS).withName(e.getTargetRef().getName()).get();
      if (p == null || !release.equals(p.getMetadata().getLabels().get("slipway.dev/release"))) {
        return -1;
      }
      if (e.getConditions().getReady() == ready) {
        n++;
      }
    }
    return n;
  }

  private List<Pod> pods(String label, String value) {
    return k.pods().inNamespace(NS).withLabel(label, value).list().getItems();
  }

  static Deployment deployment(String name, String image, int replicas) {
    return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName(name).withImage(image).endContainer().endSpec().endTemplate()
        .endSpec().build();
  }

  private static Deployment release(String name, String release, String image) {
    Map<String, String> labels = Map.of("app", "api", "slipway.dev/release", release);
    return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels(labels).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels(labels).endMetadata()
        .withNewSpec().addNewContainer().withName("api").withImage(image).addNewPort().withName("http").withContainerPort(8080).endPort()
        .endContainer().endSpec().endTemplate().endSpec().build();
  }

  private static String image(Pod p) {
    return p.getSpec().getContainers().get(0).getImage();
  }

  private static int restarts(Pod p) {
    if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null || p.getStatus().getContainerStatuses().isEmpty()) {
      return 0;
    }
    return p.getStatus().getContainerStatuses().get(0).getRestartCount();
  }

  private static DeploymentCondition condition(Deployment d, String type) {
    return d.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  private static String reason(Deployment d, String type) {
    if (d.getStatus().getConditions() == null) {
      return "";
    }
    return d.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).map(DeploymentCondition::getReason)
        .findFirst().orElse("");
  }

  @SuppressWarnings("unchecked")
  private static String routeCondition(GenericKubernetesResource r, String type, String field) {
    Map<String, Object> status = (Map<String, Object>) r.getAdditionalProperties().get("status");
    if (status == null) {
      return null;
    }
    for (Map<String, Object> parent : (List<Map<String, Object>>) status.getOrDefault("parents", List.of())) {
      for (Map<String, Object> c : (List<Map<String, Object>>) parent.getOrDefault("conditions", List.of())) {
        if (type.equals(c.get("type"))) {
          return String.valueOf(c.get(field));
        }
      }
    }
    return null;
  }

  /**
   * An edit reads, changes and writes with the read resourceVersion; the kubelet's status writes in
   * between make the API server (and the mock) answer 409, as a real controller would: read again.
   */
  private static void onConflictRetry(Runnable edit) {
    for (int attempt = 1; ; attempt++) {
      try {
        edit.run();
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }
}
