package dev.slipway.kubernetes.sim;

import dev.slipway.kubernetes.sim.WorkQueue.Key;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.TreeMap;

/**
 * The StatefulSet controller: pods {@code NAME-0..N-1} created in order (each once the ones
 * before it are ready, unless {@code podManagementPolicy: Parallel}), removed from the highest
 * ordinal, and a rolling update that replaces the highest outdated pod while all others are ready.
 */
final class StatefulSetController {

  static final String REVISION = "controller-revision-hash";

  private final KubernetesClient client;
  private final Pods pods;
  private final Counters counters;

  StatefulSetController(KubernetesClient client, Pods pods, Counters counters) {
    this.client = client;
    this.pods = pods;
    this.counters = counters;
  }

  void reconcile(Key key) {
    String ns = key.namespace();
    StatefulSet s = client.apps().statefulSets().inNamespace(ns).withName(key.name()).get();
    TreeMap<Integer, Pod> byOrdinal = new TreeMap<>();
    var inNamespace = client.pods().inNamespace(ns);
    Map<String, String> labels = s == null || s.getSpec().getSelector() == null ? null : s.getSpec().getSelector().getMatchLabels();
    for (Pod p : (labels == null || labels.isEmpty() ? inNamespace : inNamespace.withLabels(labels)).list().getItems()) {
      if (!Sim.ownedBy(p, "StatefulSet", key.name())) {
        continue;
      }
      if (s == null || Sim.terminating(s) || !Sim.ownedBy(p, s)) {
        pods.delete(p);
      } else {
        byOrdinal.put(ordinal(key.name(), p), p);
      }
    }
    if (s == null || Sim.terminating(s)) {
      return;
    }
    int desired = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
    String updateRevision = key.name() + '-' + Sim.hash(s.getSpec().getTemplate());
    boolean parallel = "Parallel".equals(s.getSpec().getPodManagementPolicy());

    while (!byOrdinal.isEmpty() && byOrdinal.lastKey() >= desired) {
      pods.delete(byOrdinal.pollLastEntry().getValue());
    }
    for (int i = 0; i < desired; i++) {
      if (!byOrdinal.containsKey(i)) {
        if (!parallel && !byOrdinal.headMap(i).values().stream().allMatch(Sim::ready)) {
          break;
        }
        byOrdinal.put(i, create(s, i, updateRevision));
        if (!parallel) {
          break;
        }
      }
    }
    boolean onDelete = s.getSpec().getUpdateStrategy() != null && "OnDelete".equals(s.getSpec().getUpdateStrategy().getType());
    int partition = partition(s);
    if (!onDelete && byOrdinal.size() == desired && byOrdinal.values().stream().allMatch(Sim::ready)) {
      for (Map.Entry<Integer, Pod> e : byOrdinal.descendingMap().entrySet()) {
        if (e.getKey() >= partition && !updateRevision.equals(revision(e.getValue()))) {
          pods.delete(e.getValue());
          e.setValue(create(s, e.getKey(), updateRevision));
          break;
        }
      }
    }
    writeStatus(s, byOrdinal, updateRevision);
  }

  private Pod create(StatefulSet s, int ordinal, String revision) {
    PodTemplateSpec t = Serialization.clone(s.getSpec().getTemplate());
    String name = s.getMetadata().getName() + '-' + ordinal;
    t.getMetadata().getLabels().put(REVISION, revision);
    t.getMetadata().getLabels().put("statefulset.kubernetes.io/pod-name", name);
    t.getMetadata().getLabels().put("apps.kubernetes.io/pod-index", String.valueOf(ordinal));
    t.getSpec().setHostname(name);
    return pods.create(s, name, t);
  }

  private void writeStatus(StatefulSet s, TreeMap<Integer, Pod> byOrdinal, String updateRevision) {
    StatefulSetStatus was = s.getStatus();
    int updated = (int) byOrdinal.values().stream().filter(p -> updateRevision.equals(revision(p))).count();
    int ready = (int) byOrdinal.values().stream().filter(Sim::ready).count();
    int desired = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
    String currentRevision =
        was == null || was.getCurrentRevision() == null || (updated == desired && byOrdinal.size() == desired)
            ? updateRevision
            : was.getCurrentRevision();
    int current = (int) byOrdinal.values().stream().filter(p -> currentRevision.equals(revision(p))).count();
    StatefulSetStatus want =
        new StatefulSetStatusBuilder()
            .withObservedGeneration(s.getMetadata().getGeneration())
            .withReplicas(byOrdinal.size())
            .withReadyReplicas(ready)
            .withAvailableReplicas(ready)
            .withCurrentReplicas(current)
            .withUpdatedReplicas(updated)
            .withCurrentRevision(currentRevision)
            .withUpdateRevision(updateRevision)
            .withCollisionCount(0)
            .build();
    if (!Sim.json(want).equals(Sim.json(was))) {
      s.setStatus(want);
      client.apps().statefulSets().inNamespace(s.getMetadata().getNamespace()).resource(s).updateStatus();
      counters.add("status.StatefulSet");
    }
  }

  private static int partition(StatefulSet s) {
    var strategy = s.getSpec().getUpdateStrategy();
    if (strategy == null || strategy.getRollingUpdate() == null || strategy.getRollingUpdate().getPartition() == null) {
      return 0;
    }
    return strategy.getRollingUpdate().getPartition();
  }

  private static String revision(Pod p) {
    return p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(REVISION);
  }

  private static int ordinal(String set, Pod p) {
    try {
      return Integer.parseInt(p.getMetadata().getName().substring(set.length() + 1));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return Integer.MAX_VALUE;
    }
  }
}
