package dev.slipway.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The runner's waits on the cluster, each driven by informers (list, then watch) and bounded by a
 * deadline: a Deployment rolling out its template (as {@code kubectl rollout status} judges it, plus the
 * release's pods for crash loops and readiness), a Service's ready endpoints in its EndpointSlices (the
 * data plane, before a blue-green switch), and an annotation another runner sets (a promote request). A
 * wait re-evaluates on every event and otherwise sleeps; nothing polls the API server.
 */
final class RolloutWatch implements AutoCloseable {
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  private static final String RELEASE = "slipway.dev/release";
  private static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  private final KubernetesClient client;
  private final String namespace;
  private final ReentrantLock starting = new ReentrantLock();
  /**
   * One informer per kind for the namespace, started on first use and shared by every wait of this
   * runner: a wait adds its handler and removes it, nothing is listed again, and no watch is closed
   * mid-stream (the mock server stalls for 30 s when a client closes a watch it is writing to).
   */
  private SharedIndexInformer<Deployment> deployments;
  private SharedIndexInformer<StatefulSet> statefulSets;
  private SharedIndexInformer<Pod> pods;
  private SharedIndexInformer<EndpointSlice> slices;

  RolloutWatch(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  private SharedIndexInformer<Deployment> deployments() {
    return started(() -> deployments, () -> deployments = client.apps().deployments().inNamespace(namespace).inform());
  }

  private SharedIndexInformer<StatefulSet> statefulSets() {
    return started(() -> statefulSets, () -> statefulSets = client.apps().statefulSets().inNamespace(namespace).inform());
  }

  private SharedIndexInformer<Pod> pods() {
    return started(() -> pods, () -> pods = client.pods().inNamespace(namespace).withLabel(MANAGED_BY, "slipway")
        .inform());
  }

  private SharedIndexInformer<EndpointSlice> slices() {
    return started(() -> slices, () -> slices = client.discovery().v1().endpointSlices().inNamespace(namespace)
        .inform());
  }

  private <T> SharedIndexInformer<T> started(Supplier<SharedIndexInformer<T>> current, Runnable start) {
    starting.lock();
    try {
      if (current.get() == null) {
        start.run();
      }
      return current.get();
    } finally {
      starting.unlock();
    }
  }

  @Override
  public void close() {
    starting.lock();
    try {
      for (SharedIndexInformer<?> i : java.util.Arrays.asList(deployments, statefulSets, pods, slices)) {
        if (i != null) {
          i.close();
        }
      }
      deployments = null;
      statefulSets = null;
      pods = null;
      slices = null;
    } finally {
      starting.unlock();
    }
  }

  /** Runs a wait with {@code signal}'s handler on {@code informers}, removed again however it ends. */
  private static Outcome watching(Signal signal, List<SharedIndexInformer<?>> informers, Wait wait)
      throws InterruptedException {
    List<ResourceEventHandler<Object>> added = new ArrayList<>();
    try {
      for (SharedIndexInformer<?> i : informers) {
        ResourceEventHandler<Object> h = signal.handler();
        @SuppressWarnings("unchecked")
        SharedIndexInformer<Object> any = (SharedIndexInformer<Object>) i;
        any.addEventHandler(h);
        added.add(h);
      }
      return wait.run();
    } finally {
      for (int k = 0; k < added.size(); k++) {
        @SuppressWarnings("unchecked")
        SharedIndexInformer<Object> any = (SharedIndexInformer<Object>) informers.get(k);
        any.removeEventHandler(added.get(k));
      }
    }
  }

  private interface Wait {
    Outcome run() throws InterruptedException;
  }

  private <T extends HasMetadata> T named(SharedIndexInformer<T> informer, String name) {
    return informer.getStore().getByKey(namespace + "/" + name);
  }

  private static boolean labelled(HasMetadata o, Map<String, String> labels) {
    Map<String, String> have = o.getMetadata().getLabels();
    return have != null && have.entrySet().containsAll(labels.entrySet());
  }

  /** How a wait ended. */
  sealed interface Outcome {
    /** What was waited for holds: {@code pods} ready (or endpoints, or the annotation's value in {@code detail}). */
    record Ready(int pods, String detail) implements Outcome {}

    /** It cannot happen, or did not in time; {@code reason} is one line for people and the record. */
    record Failed(String reason) implements Outcome {}
  }

  /**
   * Waits until Deployment {@code name} has rolled out its current template: observed, every replica
   * updated and available, no old pod left. Fails at once when a pod of {@code releaseId} crash-loops or
   * the Deployment reports its progress deadline exceeded, and when the rollout makes no progress (no
   * more pods ready or updated) for {@code stall}.
   *
   * @param label    how progress lines name the release ({@code api r3})
   * @param progress receives {@code api r3: 1/2 pods ready} as the count changes
   */
  Outcome deployment(String name, String releaseId, String label, Duration stall, Consumer<String> progress)
      throws InterruptedException {
    Deployment initial = client.apps().deployments().inNamespace(namespace).withName(name).get();
    if (initial == null) {
      return new Outcome.Failed("Deployment " + name + " does not exist");
    }
    Map<String, String> podLabels = new LinkedHashMap<>(initial.getSpec().getSelector().getMatchLabels());
    podLabels.put(RELEASE, releaseId);
    long generation = initial.getMetadata().getGeneration() == null ? 0 : initial.getMetadata().getGeneration();
    Signal signal = new Signal();
    SharedIndexInformer<Deployment> ds = deployments();
    SharedIndexInformer<Pod> ps = pods();
    DeploymentProgress judge = new DeploymentProgress(name, label, progress);
    return watching(signal, List.of(ds, ps), () -> signal.await(() -> {
      Deployment d = named(ds, name);
      if (d == null || (d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration()) < generation) {
        return null; // the cache has not seen what was just applied: judging it would judge the old template
      }
      return judge.evaluate(d, ps.getStore().list().stream().filter(p -> labelled(p, podLabels)).toList());
    }, judge::mark, stall, judge::stalled));
  }

  /**
   * Waits until Service {@code service}'s EndpointSlices list at least {@code expected} ready endpoints
   * (what kube-proxy and the ingress controllers route to), within {@code deadline}.
   */
  Outcome endpoints(String service, int expected, Duration deadline) throws InterruptedException {
    Signal signal = new Signal();
    SharedIndexInformer<EndpointSlice> es = slices();
    int[] seen = {0};
    return watching(signal, List.of(es), () -> signal.await(() -> {
      seen[0] = readyEndpoints(es.getStore().list().stream()
          .filter(e -> labelled(e, Map.of(SERVICE_NAME_LABEL, service))).toList());
      return seen[0] >= expected ? new Outcome.Ready(seen[0], null) : null;
    }, () -> null, deadline, () -> new Outcome.Failed("Service " + service + " has " + seen[0] + " of " + expected
        + " ready endpoints in its EndpointSlices after " + dev.slipway.model.Durations.human(deadline))));
  }

  /**
   * Waits until Deployment {@code name} carries annotation {@code key} (another runner's request, e.g. a
   * promote), at most {@code max}; the outcome's detail is the annotation's value, or Failed when it never
   * came (or the Deployment is gone).
   */
  Outcome annotation(String name, String key, Duration max) throws InterruptedException {
    Signal signal = new Signal();
    SharedIndexInformer<Deployment> ds = deployments();
    return watching(signal, List.of(ds), () -> signal.await(() -> {
      Deployment d = named(ds, name);
      String cached = d == null || d.getMetadata().getAnnotations() == null ? null : d.getMetadata().getAnnotations().get(key);
      if (cached == null) {
        return null;
      }
      // The cache may still hold an annotation a runner has just removed: only the API server says it is there.
      Deployment fresh = client.apps().deployments().inNamespace(namespace).withName(name).get();
      String value = fresh == null || fresh.getMetadata().getAnnotations() == null ? null
          : fresh.getMetadata().getAnnotations().get(key);
      return value == null ? null : new Outcome.Ready(0, value);
    }, () -> null, max, () -> new Outcome.Failed("no " + key + " within " + dev.slipway.model.Durations.human(max))));
  }

  /**
   * Waits until every named Deployment and StatefulSet has rolled out (what {@code helm upgrade --install
   * --wait} waits for), with one informer per kind for the whole namespace however many there are. Fails
   * at once on a crash-looping pod, and when none becomes ready for {@code stall}.
   *
   * @param progress receives {@code 12/40 workloads ready} as the count changes
   */
  Outcome workloads(Set<String> deployments, Set<String> statefulSets, Duration stall, Consumer<String> progress)
      throws InterruptedException {
    Signal signal = new Signal();
    SharedIndexInformer<Deployment> ds = deployments();
    SharedIndexInformer<StatefulSet> ss = statefulSets();
    SharedIndexInformer<Pod> pods = pods();
    return watching(signal, List.of(ds, ss, pods), () -> {
      int total = deployments.size() + statefulSets.size();
      String[] last = {null};
      List<String> waiting = new ArrayList<>();
      return signal.await(() -> {
        waiting.clear();
        for (Pod p : pods.getStore().list()) {
          String crash = PodHealth.crashLoop(p);
          if (crash != null) {
            return new Outcome.Failed(crash);
          }
        }
        Set<String> done = new HashSet<>();
        ds.getStore().list().stream().filter(d -> deployments.contains(d.getMetadata().getName()))
            .filter(RolloutWatch::rolledOut).forEach(d -> done.add("Deployment/" + d.getMetadata().getName()));
        ss.getStore().list().stream().filter(d -> statefulSets.contains(d.getMetadata().getName()))
            .filter(RolloutWatch::rolledOut).forEach(d -> done.add("StatefulSet/" + d.getMetadata().getName()));
        deployments.stream().sorted().map(n -> "Deployment/" + n).filter(n -> !done.contains(n)).forEach(waiting::add);
        statefulSets.stream().sorted().map(n -> "StatefulSet/" + n).filter(n -> !done.contains(n)).forEach(waiting::add);
        String line = done.size() + "/" + total + " workloads ready";
        if (!line.equals(last[0])) {
          last[0] = line;
          progress.accept(line);
        }
        return waiting.isEmpty() ? new Outcome.Ready(total, null) : null;
      }, () -> last[0], stall, () -> {
        String first = waiting.isEmpty() ? "?" : waiting.get(0);
        String name = first.substring(first.indexOf('/') + 1);
        String pod = pods.getStore().list().stream().filter(p -> p.getMetadata().getName().startsWith(name + "-"))
            .filter(p -> !PodHealth.ready(p)).map(p -> ": " + p.getMetadata().getName() + ": "
                + PodHealth.notReadyBecause(p)).findFirst().orElse("");
        return new Outcome.Failed(waiting.size() + " of " + total + " workloads never ready (" + first + pod
            + (waiting.size() > 1 ? ", and " + (waiting.size() - 1) + " more" : "") + ")");
      });
    });
  }

  /** Whether a Deployment has rolled out its current template, as {@code kubectl rollout status} says. */
  static boolean rolledOut(Deployment d) {
    var status = d.getStatus();
    int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    return status != null && status.getObservedGeneration() != null
        && status.getObservedGeneration() >= d.getMetadata().getGeneration()
        && n(status.getUpdatedReplicas()) >= desired && n(status.getReplicas()) <= n(status.getUpdatedReplicas())
        && n(status.getAvailableReplicas()) >= desired;
  }

  static boolean rolledOut(StatefulSet s) {
    var status = s.getStatus();
    int desired = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
    return status != null && status.getObservedGeneration() != null
        && status.getObservedGeneration() >= s.getMetadata().getGeneration() && n(status.getReadyReplicas()) >= desired;
  }

  static int readyEndpoints(List<EndpointSlice> slices) {
    Set<String> ready = new HashSet<>();
    for (EndpointSlice slice : slices) {
      for (Endpoint e : slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints()) {
        // Only an explicit true: an endpoint of unknown readiness is not yet proven to serve.
        if (e.getConditions() != null && Boolean.TRUE.equals(e.getConditions().getReady())) {
          ready.add(e.getTargetRef() != null ? e.getTargetRef().getName() : String.join(",", e.getAddresses()));
        }
      }
    }
    return ready.size();
  }

  private static <T> T only(List<T> items) {
    return items.isEmpty() ? null : items.get(0);
  }

  /**
   * Judges one Deployment's rollout from the informers' caches; remembers the last progress so a stall
   * can be told from a slow start.
   */
  private static final class DeploymentProgress {
    private final String name;
    private final String label;
    private final Consumer<String> progress;
    private String lastLine;
    private Deployment deployment;
    private List<Pod> pods = List.of();

    DeploymentProgress(String name, String label, Consumer<String> progress) {
      this.name = name;
      this.label = label;
      this.progress = progress;
    }

    /** The outcome once there is one; null while rolling out. A changed count counts as progress (see Signal). */
    Outcome evaluate(Deployment d, List<Pod> current) {
      deployment = d;
      pods = current;
      if (d == null) {
        return new Outcome.Failed("Deployment " + name + " was deleted while rolling out");
      }
      for (Pod p : current) {
        String crash = PodHealth.crashLoop(p);
        if (crash != null) {
          return new Outcome.Failed(crash);
        }
      }
      var status = d.getStatus();
      for (DeploymentCondition c : status == null || status.getConditions() == null ? List.<DeploymentCondition>of()
          : status.getConditions()) {
        if ("Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason())) {
          return new Outcome.Failed("progress deadline exceeded" + unready(": "));
        }
      }
      int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      boolean done = rolledOut(d);
      // The pods' cache may lag the Deployment's: once the controller says done, every pod is ready.
      int ready = done ? desired : (int) Math.min(desired, current.stream().filter(PodHealth::ready).count());
      report(label + ": " + ready + "/" + desired + " pods ready");
      return done ? new Outcome.Ready(desired, null) : null;
    }

    private void report(String line) {
      if (!line.equals(lastLine)) {
        lastLine = line;
        progress.accept(line);
      }
    }

    /** A fingerprint of the rollout's progress: what changes when it moves forward. */
    String mark() {
      var s = deployment == null ? null : deployment.getStatus();
      long readyPods = pods.stream().filter(PodHealth::ready).count();
      return (s == null ? "-" : n(s.getUpdatedReplicas()) + "/" + n(s.getAvailableReplicas())) + "/" + readyPods;
    }

    Outcome stalled() {
      if (pods.isEmpty()) {
        return new Outcome.Failed("no pods were created for " + name + replicaFailure());
      }
      return new Outcome.Failed("pods never ready" + unready(": "));
    }

    private String replicaFailure() {
      var s = deployment == null ? null : deployment.getStatus();
      if (s != null && s.getConditions() != null) {
        for (DeploymentCondition c : s.getConditions()) {
          if ("ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus())) {
            return ": " + c.getMessage();
          }
        }
      }
      return "";
    }

    /** The first pod that is not ready, and why: {@code api-r3-5d9c-x2x: readiness probe failed}. */
    private String unready(String prefix) {
      return pods.stream().filter(p -> !PodHealth.ready(p)).sorted(Comparator.comparing(p -> p.getMetadata().getName()))
          .findFirst().map(p -> prefix + p.getMetadata().getName() + ": " + PodHealth.notReadyBecause(p)).orElse("");
    }
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }

  /**
   * Wakes a waiting thread on every informer event. The wait re-evaluates, and ends at the first outcome;
   * a {@code stall} without a changed evaluation ends it with the timeout's outcome.
   */
  private static final class Signal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long events;

    <T> ResourceEventHandler<T> handler() {
      return new ResourceEventHandler<>() {
        @Override
        public void onAdd(T obj) {
          wake();
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
          wake();
        }

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {
          wake();
        }

        @Override
        public void onList(String resourceVersion, boolean initial) {
          wake();
        }
      };
    }

    private void wake() {
      lock.lock();
      try {
        events++;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    /**
     * Evaluates now and after every event until {@code check} answers; when nothing it answers changes
     * for {@code stall} (its result's progress mark, see {@link DeploymentProgress#mark}), {@code timeout}.
     */
    Outcome await(Supplier<Outcome> check, Supplier<Object> progressMark, Duration stall, Supplier<Outcome> timeout)
        throws InterruptedException {
      long stallNanos = stall.toNanos();
      long lastProgress = System.nanoTime();
      Object lastMark = null;
      lock.lock();
      try {
        while (true) {
          long seen = events;
          Outcome o = check.get();
          if (o != null) {
            return o;
          }
          Object mark = progressMark.get();
          if (!Objects.equals(mark, lastMark)) {
            lastMark = mark;
            lastProgress = System.nanoTime();
          }
          long left = stallNanos - (System.nanoTime() - lastProgress);
          if (left <= 0) {
            return timeout.get();
          }
          while (events == seen && left > 0) {
            left = changed.awaitNanos(left);
          }
        }
      } finally {
        lock.unlock();
      }
    }
  }
}
