package dev.slipway.kubernetes.sim;

import dev.slipway.kubernetes.sim.WorkQueue.Key;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The node side: every pod (whoever created it) is "started" and its status written through the
 * status subresource as its containers' behaviours say. State lives here, keyed by pod uid, so a
 * status overwritten by someone else is put back and a pod recreated under the same name starts
 * afresh.
 */
final class Kubelet {

  static final String READY_TIMER = "ready";
  static final String CRASH_TIMER = "crash";

  /** One pod as this node runs it. */
  private static final class Run {
    final String uid;
    final String ip;
    final Instant started;
    List<Behaviour> behaviours;
    Instant readySince;
    int restarts;

    Run(String uid, String ip, Instant started) {
      this.uid = uid;
      this.ip = ip;
      this.started = started;
    }
  }

  private final KubernetesClient client;
  private final WorkQueue queue;
  private final Function<String, Behaviour> behaviourOf;
  private final Counters counters;
  private final Map<String, Run> runs = new ConcurrentHashMap<>();
  private final AtomicInteger nextIp = new AtomicInteger(1);
  volatile Duration readyDelay = Duration.ofMillis(200);
  volatile Duration crashInterval = Duration.ofMillis(500);

  Kubelet(KubernetesClient client, WorkQueue queue, Function<String, Behaviour> behaviourOf, Counters counters) {
    this.client = client;
    this.queue = queue;
    this.behaviourOf = behaviourOf;
    this.counters = counters;
  }

  void reconcile(Key key) {
    Pod pod = client.pods().inNamespace(key.namespace()).withName(key.name()).get();
    if (pod == null || Sim.terminating(pod)) {
      forget(key);
      return;
    }
    String uid = pod.getMetadata().getUid();
    Run run = runs.get(key.namespace() + '/' + key.name());
    if (run == null || !run.uid.equals(uid)) {
      forget(key);
      int n = nextIp.getAndIncrement();
      run = new Run(uid, "10.244." + (n / 250) + '.' + (n % 250 + 2), Instant.now());
      runs.put(key.namespace() + '/' + key.name(), run);
    }
    List<Behaviour> behaviours = pod.getSpec().getContainers().stream().map(c -> behaviourOf.apply(c.getImage())).toList();
    if (!behaviours.equals(run.behaviours)) {
      // A new pod, or a test changed what an image does: the containers (re)start now.
      run.behaviours = behaviours;
      run.readySince = null;
      queue.cancel(key, READY_TIMER, true);
      queue.cancel(key, CRASH_TIMER, false);
      Instant readyAt = Instant.now().plus(readyDelay);
      if (behaviours.stream().allMatch(b -> b == Behaviour.READY)) {
        if (readyDelay.isZero()) {
          run.readySince = Instant.now();
        } else {
          queue.after(readyDelay, key, READY_TIMER, true);
          run.readySince = readyAt;
        }
      }
      if (behaviours.contains(Behaviour.CRASH_LOOP)) {
        queue.after(crashInterval, key, CRASH_TIMER, false);
      }
    } else if (behaviours.contains(Behaviour.CRASH_LOOP)) {
      // Restarts follow the clock (one per interval), so an unrelated event cannot add one.
      long elapsed = Duration.between(run.started, Instant.now()).toNanos();
      run.restarts = (int) (elapsed / crashInterval.toNanos());
      queue.after(crashInterval.multipliedBy(run.restarts + 1L).minusNanos(elapsed), key, CRASH_TIMER, false);
    }
    PodStatus want = status(pod, run, Instant.now());
    if (!Sim.json(want).equals(Sim.json(pod.getStatus()))) {
      pod.setStatus(want);
      client.pods().inNamespace(key.namespace()).resource(pod).updateStatus();
      counters.add("status.Pod");
    }
  }

  private void forget(Key key) {
    runs.remove(key.namespace() + '/' + key.name());
    queue.cancel(key, READY_TIMER, true);
    queue.cancel(key, CRASH_TIMER, false);
  }

  private PodStatus status(Pod pod, Run run, Instant now) {
    boolean ready = run.readySince != null && !now.isBefore(run.readySince);
    List<ContainerStatus> containers = new ArrayList<>();
    List<String> unready = new ArrayList<>();
    List<Container> specs = pod.getSpec().getContainers();
    for (int i = 0; i < specs.size(); i++) {
      Container c = specs.get(i);
      Behaviour b = run.behaviours.get(i);
      ContainerStatusBuilder s =
          new ContainerStatusBuilder()
              .withName(c.getName())
              .withImage(c.getImage())
              .withImageID("sim://" + c.getImage())
              .withContainerID("sim://" + run.uid + '/' + c.getName());
      if (b == Behaviour.CRASH_LOOP) {
        s.withReady(false)
            .withStarted(false)
            .withRestartCount(run.restarts)
            .withNewState()
            .withNewWaiting()
            .withReason("CrashLoopBackOff")
            .withMessage("back-off restarting failed container " + c.getName() + " in pod " + pod.getMetadata().getName())
            .endWaiting()
            .endState()
            .withNewLastState()
            .withNewTerminated()
            .withExitCode(1)
            .withReason("Error")
            .endTerminated()
            .endLastState();
      } else {
        s.withReady(ready)
            .withStarted(true)
            .withRestartCount(0)
            .withNewState()
            .withNewRunning(Sim.time(run.started))
            .endState();
      }
      containers.add(s.build());
      if (!ready || b != Behaviour.READY) {
        unready.add(c.getName());
      }
    }
    String since = Sim.time(ready ? run.readySince : run.started);
    String message = unready.isEmpty() ? null : "containers with unready status: " + unready;
    return new PodStatusBuilder()
        .withPhase("Running")
        .withHostIP("10.0.0.1")
        .withPodIP(run.ip)
        .withPodIPs(new PodIP(run.ip))
        .withStartTime(Sim.time(run.started))
        .withQosClass("BestEffort")
        .withConditions(
            condition("PodScheduled", true, Sim.time(run.started), null),
            condition("Initialized", true, Sim.time(run.started), null),
            condition("ContainersReady", ready, since, message),
            condition("Ready", ready, since, message))
        .withContainerStatuses(containers)
        .build();
  }

  private static PodCondition condition(String type, boolean value, String since, String message) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(value ? "True" : "False")
        .withLastTransitionTime(since)
        .withReason(value || message == null ? null : "ContainersNotReady")
        .withMessage(value ? null : message)
        .build();
  }
}
