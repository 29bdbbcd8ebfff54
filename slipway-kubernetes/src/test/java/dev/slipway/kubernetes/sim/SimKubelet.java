package dev.slipway.kubernetes.sim;

import dev.slipway.kubernetes.sim.WorkQueue.Key;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A simulated kubelet and the controllers a cluster runs, for tests against {@link MockCluster}
 * (whose API server runs none): watching Deployments, StatefulSets, pods, Services and Gateway
 * API HTTPRoutes in every namespace, it makes ReplicaSets and pods, runs each pod's containers as
 * {@link #behave} says for their image (default {@link Behaviour#READY}), and writes status
 * through the status subresource as the real controllers do: Deployment conditions
 * (Progressing, its deadline, Available), StatefulSet revisions, EndpointSlices per Service,
 * HTTPRoute acceptance.
 *
 * <pre>{@code
 * try (MockCluster cluster = new MockCluster();
 *      SimKubelet kubelet = new SimKubelet(cluster.client()).behave("api:v2", Behaviour.NEVER_READY).start()) {
 *   ... apply a Deployment ...
 *   kubelet.awaitIdle();
 * }
 * }</pre>
 *
 * Watches drive everything; reads are live, so a controller never acts on a stale cache. One
 * worker thread reconciles, so tests see one write at a time, like a single controller manager.
 */
public final class SimKubelet implements AutoCloseable {

  private final KubernetesClient client;
  private final Counters counters = new Counters();
  private final List<Map.Entry<String, Behaviour>> behaviours = new CopyOnWriteArrayList<>();
  private final WorkQueue queue = new WorkQueue(this::reconcile);
  private final Kubelet kubelet;
  private final DeploymentController deployments;
  private final StatefulSetController statefulSets;
  private final EndpointSliceController endpointSlices;
  private final RouteController routes;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final Map<String, Duration> endpointDelays = new java.util.concurrent.ConcurrentHashMap<>();
  private SharedIndexInformer<Deployment> deploymentInformer;
  private SharedIndexInformer<StatefulSet> statefulSetInformer;
  private SharedIndexInformer<Service> serviceInformer;
  private SharedIndexInformer<GenericKubernetesResource> routeInformer;
  private SharedIndexInformer<Pod> podInformer;

  /** A kubelet on this client's cluster; nothing runs until {@link #start()}. */
  public SimKubelet(KubernetesClient client) {
    this.client = client;
    Pods pods = new Pods(client, counters);
    this.kubelet = new Kubelet(client, queue, this::behaviourOf, counters);
    this.deployments = new DeploymentController(client, queue, pods, counters);
    this.statefulSets = new StatefulSetController(client, pods, counters);
    this.endpointSlices = new EndpointSliceController(client, pods, counters);
    this.routes = new RouteController(client, MockCluster.HTTP_ROUTE, counters);
  }

  /**
   * Containers whose image contains {@code imageSubstring} behave so; the latest matching rule
   * wins. Pods already running switch to the new behaviour (their containers restart).
   */
  public SimKubelet behave(String imageSubstring, Behaviour behaviour) {
    behaviours.add(Map.entry(imageSubstring, behaviour));
    if (podInformer != null) {
      podInformer.getStore().list().forEach(p -> queue.add(key("Pod", p)));
    }
    return this;
  }

  /** How long a {@link Behaviour#READY} container takes to pass its readiness probe (default 200 ms). */
  public SimKubelet readyDelay(Duration delay) {
    kubelet.readyDelay = delay;
    return this;
  }

  /**
   * Service {@code service} in {@code namespace} has its EndpointSlice written {@code delay} after a change of
   * the Service or its pods, as a busy EndpointSlice controller (or a slow data plane) lags behind the pods'
   * readiness; changes within the delay are written together, at least {@code delay} after the last.
   * {@link Duration#ZERO} ends the lag.
   */
  public SimKubelet delayEndpoints(String namespace, String service, Duration delay) {
    if (delay.isZero()) {
      endpointDelays.remove(namespace + "/" + service);
    } else {
      endpointDelays.put(namespace + "/" + service, delay);
    }
    return this;
  }

  /** How often a {@link Behaviour#CRASH_LOOP} container restarts (default 500 ms). */
  public SimKubelet crashInterval(Duration interval) {
    kubelet.crashInterval = interval;
    return this;
  }

  /** Starts the watches (informers) and the worker; returns once the informers have synced. */
  public SimKubelet start() {
    queue.start();
    deploymentInformer = inform(client.apps().deployments().inAnyNamespace().runnableInformer(0), d -> queue.add(key("Deployment", d)));
    statefulSetInformer = inform(client.apps().statefulSets().inAnyNamespace().runnableInformer(0), s -> queue.add(key("StatefulSet", s)));
    serviceInformer = inform(client.services().inAnyNamespace().runnableInformer(0), this::serviceChanged);
    routeInformer =
        inform(client.genericKubernetesResources(MockCluster.HTTP_ROUTE).inAnyNamespace().runnableInformer(0), r -> queue.add(key("HTTPRoute", r)));
    podInformer = inform(client.pods().inAnyNamespace().runnableInformer(0), this::podChanged);
    return this;
  }

  private <T extends HasMetadata> SharedIndexInformer<T> inform(SharedIndexInformer<T> informer, Consumer<T> changed) {
    informer.addEventHandler(
        new ResourceEventHandler<T>() {
          @Override
          public void onAdd(T o) {
            changed.accept(o);
          }

          @Override
          public void onUpdate(T before, T after) {
            changed.accept(after);
          }

          @Override
          public void onDelete(T o, boolean finalStateUnknown) {
            changed.accept(o);
          }
        });
    informers.add(informer);
    informer.run();
    return informer;
  }

  /** A pod changed: its node runs it, and whatever selects it recounts. */
  private void podChanged(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    Map<String, String> labels = pod.getMetadata().getLabels();
    queue.add(key("Pod", pod));
    for (Deployment d : deploymentInformer.getStore().list()) {
      if (ns.equals(d.getMetadata().getNamespace()) && Sim.matches(d.getSpec().getSelector(), labels)) {
        queue.add(key("Deployment", d));
      }
    }
    Sim.controller(pod).filter(r -> "StatefulSet".equals(r.getKind()))
        .ifPresent(r -> queue.add(new Key("StatefulSet", ns, r.getName())));
    for (Service s : serviceInformer.getStore().list()) {
      if (ns.equals(s.getMetadata().getNamespace()) && Sim.matches(s.getSpec().getSelector(), labels)) {
        queue.add(key("Service", s));
      }
    }
  }

  /** A Service changed: its slice follows, and routes naming it may now resolve. */
  private void serviceChanged(Service s) {
    queue.add(key("Service", s));
    if (routeInformer != null) {
      for (GenericKubernetesResource r : routeInformer.getStore().list()) {
        if (s.getMetadata().getNamespace().equals(r.getMetadata().getNamespace())) {
          queue.add(key("HTTPRoute", r));
        }
      }
    }
  }

  private void reconcile(Key key) {
    switch (key.kind()) {
      case "Pod" -> kubelet.reconcile(key);
      case "Deployment" -> deployments.reconcile(key);
      case "StatefulSet" -> statefulSets.reconcile(key);
      case "Service" -> {
        Duration lag = endpointDelays.get(key.namespace() + "/" + key.name());
        if (lag == null) {
          endpointSlices.reconcile(key);
        } else {
          queue.after(lag, new Key("LaggingSlice", key.namespace(), key.name()), "endpoints", true);
        }
      }
      case "LaggingSlice" -> endpointSlices.reconcile(new Key("Service", key.namespace(), key.name()));
      case "HTTPRoute" -> routes.reconcile(key);
      default -> throw new IllegalStateException("unknown kind " + key.kind());
    }
  }

  private Behaviour behaviourOf(String image) {
    Behaviour out = Behaviour.READY;
    for (Map.Entry<String, Behaviour> rule : behaviours) {
      if (image != null && image.contains(rule.getKey())) {
        out = rule.getValue();
      }
    }
    return out;
  }

  private static Key key(String kind, HasMetadata o) {
    return new Key(kind, o.getMetadata().getNamespace(), o.getMetadata().getName());
  }

  /**
   * Waits (up to 10 s) until the simulated cluster has settled: every watch has delivered what the
   * server holds, nothing is queued or running, no pod is about to become ready, and nothing
   * happened for 50 ms. Crash loops and progress deadlines keep ticking in the background and do
   * not count.
   */
  public void awaitIdle() {
    awaitIdle(Duration.ofSeconds(10));
  }

  /** {@link #awaitIdle()} with a timeout; throws IllegalStateException naming what is still pending. */
  public void awaitIdle(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      queue.awaitIdle(Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0)), Duration.ofMillis(50));
      long before = queue.activity();
      // A write just made may not have come back as a watch event yet: idle only once the
      // informers hold exactly what the server holds, and nothing was queued meanwhile.
      String lag = lag();
      if (lag == null && queue.activity() == before) {
        return;
      }
      if (System.nanoTime() >= deadline) {
        throw new IllegalStateException("the simulated kubelet is not idle after " + timeout + ": " + (lag == null ? "still reconciling" : lag));
      }
      Thread.onSpinWait();
    }
  }

  /** The first informer whose cache differs from the server, or null when all have caught up. */
  private String lag() {
    if (!same(deploymentInformer, client.apps().deployments().inAnyNamespace().list().getItems())
        || !same(statefulSetInformer, client.apps().statefulSets().inAnyNamespace().list().getItems())
        || !same(serviceInformer, client.services().inAnyNamespace().list().getItems())
        || !same(routeInformer, client.genericKubernetesResources(MockCluster.HTTP_ROUTE).inAnyNamespace().list().getItems())
        || !same(podInformer, client.pods().inAnyNamespace().list().getItems())) {
      return "watch events still in flight";
    }
    return null;
  }

  private static <T extends HasMetadata> boolean same(SharedIndexInformer<T> informer, List<T> server) {
    Map<String, String> cached = new java.util.HashMap<>();
    informer.getStore().list().forEach(o -> cached.put(Sim.key(o), o.getMetadata().getResourceVersion()));
    Map<String, String> live = new java.util.HashMap<>();
    server.forEach(o -> live.put(Sim.key(o), o.getMetadata().getResourceVersion()));
    return cached.equals(live);
  }

  /** Status writes through the status subresource, all kinds. */
  public int statusWrites() {
    return counters.sum("status.");
  }

  /** Status writes of one kind: {@code Pod}, {@code Deployment}, {@code ReplicaSet}, {@code StatefulSet}, {@code HTTPRoute}. */
  public int statusWrites(String kind) {
    return counters.get("status." + kind);
  }

  /** Pods this kubelet's controllers created. */
  public int podsCreated() {
    return counters.get("create.Pod");
  }

  /** Pods this kubelet's controllers deleted. */
  public int podsDeleted() {
    return counters.get("delete.Pod");
  }

  /** EndpointSlice creations and updates. */
  public int endpointSliceWrites() {
    return counters.get("write.EndpointSlice");
  }

  /** Every counter by name, for a failing test's message. */
  public Map<String, Integer> counters() {
    return counters.snapshot();
  }

  /** Reconciles that failed even after retries (a test should expect none). */
  public List<String> errors() {
    return queue.errors();
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    queue.close();
  }
}
