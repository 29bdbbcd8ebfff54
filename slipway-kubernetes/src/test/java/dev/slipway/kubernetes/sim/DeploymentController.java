package dev.slipway.kubernetes.sim;

import dev.slipway.kubernetes.sim.WorkQueue.Key;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Deployment and ReplicaSet controllers in one: a ReplicaSet per pod template (named
 * {@code DEPLOYMENT-HASH}, pods labelled {@code pod-template-hash}), a rolling update bounded by
 * maxSurge / maxUnavailable that scales old sets down only as new pods become ready, Recreate, and
 * the status and conditions the real controller writes (Progressing with its deadline, Available).
 */
final class DeploymentController {

  static final String HASH = "pod-template-hash";
  static final String REVISION = "deployment.kubernetes.io/revision";
  static final String DEADLINE_TIMER = "deadline";

  /** When a Deployment last made progress, and the status written then. */
  private record Progress(Instant at, DeploymentStatus status) {}

  private final KubernetesClient client;
  private final WorkQueue queue;
  private final Pods pods;
  private final Counters counters;
  private final Map<String, Progress> progress = new HashMap<>();

  DeploymentController(KubernetesClient client, WorkQueue queue, Pods pods, Counters counters) {
    this.client = client;
    this.queue = queue;
    this.pods = pods;
    this.counters = counters;
  }

  void reconcile(Key key) {
    String ns = key.namespace();
    Deployment d = client.apps().deployments().inNamespace(ns).withName(key.name()).get();
    List<ReplicaSet> sets = new ArrayList<>();
    for (ReplicaSet rs : ownedSets(ns, d)) {
      if (!Sim.ownedBy(rs, "Deployment", key.name())) {
        continue;
      }
      if (d != null && !Sim.terminating(d) && Sim.ownedBy(rs, d)) {
        sets.add(rs);
      } else {
        // No garbage collector runs in the mock: a deleted Deployment's sets and pods go here.
        deleteSet(rs);
      }
    }
    if (d == null || Sim.terminating(d)) {
      queue.cancel(key, DEADLINE_TIMER, false);
      return;
    }
    Map<String, List<Pod>> podsOf = new LinkedHashMap<>();
    sets.forEach(rs -> podsOf.put(rs.getMetadata().getName(), new ArrayList<>()));
    for (Pod p : pods.selected(ns, d.getSpec().getSelector())) {
      Sim.controller(p).map(r -> podsOf.get(r.getName())).ifPresent(list -> list.add(p));
    }

    PodTemplateSpec template = d.getSpec().getTemplate();
    String hash = Sim.hash(template);
    int maxRevision = sets.stream().mapToInt(DeploymentController::revision).max().orElse(0);
    ReplicaSet newSet = sets.stream().filter(rs -> hash.equals(label(rs))).findFirst().orElse(null);
    boolean created = false;
    if (newSet == null) {
      newSet = createSet(d, hash, maxRevision + 1);
      sets.add(newSet);
      podsOf.put(newSet.getMetadata().getName(), new ArrayList<>());
      created = true;
    } else if (revision(newSet) < maxRevision) {
      // Back to an earlier template (a rollback): that set becomes the newest revision again.
      int next = maxRevision + 1;
      newSet = client.apps().replicaSets().inNamespace(ns).withName(newSet.getMetadata().getName())
          .edit(rs -> { rs.getMetadata().getAnnotations().put(REVISION, String.valueOf(next)); return rs; });
    }
    String newName = newSet.getMetadata().getName();
    List<ReplicaSet> old = sets.stream().filter(rs -> !rs.getMetadata().getName().equals(newName)).toList();

    int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    Map<String, Integer> scale = new HashMap<>();
    sets.forEach(rs -> scale.put(rs.getMetadata().getName(), replicas(rs)));
    Map<String, Integer> ready = new HashMap<>();
    podsOf.forEach((name, list) -> ready.put(name, (int) list.stream().filter(Sim::ready).count()));
    int[] bounds = bounds(d, desired);
    if (d.getSpec().getStrategy() != null && "Recreate".equals(d.getSpec().getStrategy().getType())) {
      // Recreate: the new set starts only once every old pod is gone (their deletion events bring us back).
      boolean oldGone = old.stream().allMatch(rs -> podsOf.get(rs.getMetadata().getName()).isEmpty());
      old.forEach(rs -> scale.put(rs.getMetadata().getName(), 0));
      scale.put(newName, oldGone ? desired : 0);
    } else {
      rollingStep(newName, old, desired, bounds[0], bounds[1], scale, ready);
    }

    for (ReplicaSet rs : sets) {
      String name = rs.getMetadata().getName();
      int want = scale.get(name);
      if (want != replicas(rs)) {
        client.apps().replicaSets().inNamespace(ns).withName(name).edit(x -> { x.getSpec().setReplicas(want); return x; });
        counters.add("scale.ReplicaSet");
      }
      syncPods(rs, want, podsOf.get(name));
      writeSetStatus(rs, podsOf.get(name));
    }
    writeStatus(key, d, desired, bounds[1], newName, created, podsOf);
  }

  /**
   * One step of a rolling update, as the real controller takes it: scale the new set up within
   * maxSurge, then scale old sets down within maxUnavailable, counting only ready pods as
   * available (unready old pods go first, they serve nobody).
   */
  private static void rollingStep(
      String newName, List<ReplicaSet> old, int desired, int surge, int unavailable,
      Map<String, Integer> scale, Map<String, Integer> ready) {
    int oldTotal = old.stream().mapToInt(rs -> scale.get(rs.getMetadata().getName())).sum();
    int newCount = scale.get(newName);
    if (newCount > desired || oldTotal == 0) {
      newCount = desired;
    } else if (newCount < desired) {
      newCount += Math.max(0, Math.min(desired + surge - (newCount + oldTotal), desired - newCount));
    }
    scale.put(newName, newCount);
    int minAvailable = desired - unavailable;
    int newUnavailable = newCount - Math.min(newCount, ready.get(newName));
    int maxScaledDown = newCount + oldTotal - minAvailable - newUnavailable;
    for (ReplicaSet rs : old) {
      String name = rs.getMetadata().getName();
      int unhealthy = scale.get(name) - Math.min(scale.get(name), ready.get(name));
      int k = Math.min(Math.max(maxScaledDown, 0), unhealthy);
      scale.put(name, scale.get(name) - k);
      maxScaledDown -= k;
    }
    int available = Math.min(newCount, ready.get(newName));
    for (ReplicaSet rs : old) {
      available += Math.min(scale.get(rs.getMetadata().getName()), ready.get(rs.getMetadata().getName()));
    }
    int canRemove = available - minAvailable;
    for (ReplicaSet rs : old) {
      String name = rs.getMetadata().getName();
      int k = Math.min(Math.max(canRemove, 0), scale.get(name));
      scale.put(name, scale.get(name) - k);
      canRemove -= k;
    }
  }

  /** maxSurge and maxUnavailable as pod counts (percentages of the desired count: surge up, unavailable down). */
  private static int[] bounds(Deployment d, int desired) {
    RollingUpdateDeployment ru = d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
    int surge = count(ru == null ? null : ru.getMaxSurge(), desired, true);
    int unavailable = count(ru == null ? null : ru.getMaxUnavailable(), desired, false);
    if (surge == 0 && unavailable == 0) {
      unavailable = 1;
    }
    return new int[] {surge, unavailable};
  }

  private static int count(IntOrString v, int desired, boolean roundUp) {
    if (v == null) {
      v = new IntOrString("25%");
    }
    if (v.getIntVal() != null) {
      return v.getIntVal();
    }
    double percent = Double.parseDouble(v.getStrVal().replace("%", ""));
    double n = percent * desired / 100.0;
    return (int) (roundUp ? Math.ceil(n) : Math.floor(n));
  }

  private void syncPods(ReplicaSet rs, int want, List<Pod> current) {
    while (current.size() < want) {
      current.add(pods.create(rs, rs.getMetadata().getName() + '-' + Sim.suffix(), rs.getSpec().getTemplate()));
    }
    if (current.size() > want) {
      List<Pod> order = new ArrayList<>(current);
      order.sort(Pods.DELETE_FIRST);
      for (Pod p : order.subList(0, current.size() - want)) {
        pods.delete(p);
        current.remove(p);
      }
    }
  }

  private void writeSetStatus(ReplicaSet rs, List<Pod> current) {
    int ready = (int) current.stream().filter(Sim::ready).count();
    var want =
        new ReplicaSetStatusBuilder()
            .withReplicas(current.size())
            .withFullyLabeledReplicas(current.size())
            .withReadyReplicas(ready)
            .withAvailableReplicas(ready)
            .withObservedGeneration(rs.getMetadata().getGeneration())
            .build();
    if (!Sim.json(want).equals(Sim.json(rs.getStatus()))) {
      // A status write leaves spec alone, so the listed (perhaps since rescaled) object will do.
      rs.setStatus(want);
      client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).resource(rs).updateStatus();
      counters.add("status.ReplicaSet");
    }
  }

  private void writeStatus(
      Key key, Deployment d, int desired, int unavailable, String newName, boolean created, Map<String, List<Pod>> podsOf) {
    int total = podsOf.values().stream().mapToInt(List::size).sum();
    int updated = podsOf.get(newName).size();
    int ready = (int) podsOf.values().stream().flatMap(List::stream).filter(Sim::ready).count();
    Instant now = Instant.now();
    String uid = d.getMetadata().getUid();
    Progress before = progress.get(uid);
    DeploymentStatus prev = before != null ? before.status() : d.getStatus();
    boolean progressed =
        created
            || prev == null
            || n(d.getMetadata().getGeneration()) != n(prev.getObservedGeneration())
            || updated > n(prev.getUpdatedReplicas())
            || ready > n(prev.getReadyReplicas())
            || total - updated < n(prev.getReplicas()) - n(prev.getUpdatedReplicas());
    Instant progressAt = progressed || before == null ? now : before.at();
    boolean complete = updated == desired && total == desired && ready == desired;
    long deadlineSeconds = d.getSpec().getProgressDeadlineSeconds() == null ? 600 : d.getSpec().getProgressDeadlineSeconds();
    boolean timedOut = !complete && !progressed && now.isAfter(progressAt.plusSeconds(deadlineSeconds));

    DeploymentCondition progressing;
    if (complete) {
      progressing = condition(prev, "Progressing", true, "NewReplicaSetAvailable", "ReplicaSet \"" + newName + "\" has successfully progressed.", progressAt);
    } else if (timedOut) {
      progressing = condition(prev, "Progressing", false, "ProgressDeadlineExceeded", "ReplicaSet \"" + newName + "\" has timed out progressing.", progressAt);
    } else if (created) {
      progressing = condition(prev, "Progressing", true, "NewReplicaSetCreated", "Created new replica set \"" + newName + "\"", progressAt);
    } else {
      progressing = condition(prev, "Progressing", true, "ReplicaSetUpdated", "ReplicaSet \"" + newName + "\" is progressing.", progressAt);
    }
    boolean available = ready >= desired - unavailable;
    DeploymentCondition availableCondition =
        available
            ? condition(prev, "Available", true, "MinimumReplicasAvailable", "Deployment has minimum availability.", now)
            : condition(prev, "Available", false, "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now);
    DeploymentStatus want =
        new DeploymentStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(total)
            .withUpdatedReplicas(updated)
            .withReadyReplicas(ready)
            .withAvailableReplicas(ready)
            .withUnavailableReplicas(Math.max(0, desired - ready))
            .withConditions(availableCondition, progressing)
            .build();
    progress.put(uid, new Progress(progressAt, want));
    if (!complete && !timedOut) {
      Duration left = Duration.between(now, progressAt.plusSeconds(deadlineSeconds)).plusMillis(20);
      queue.after(left.isNegative() ? Duration.ZERO : left, key, DEADLINE_TIMER, false);
    } else {
      queue.cancel(key, DEADLINE_TIMER, false);
    }
    if (!Sim.json(want).equals(Sim.json(d.getStatus()))) {
      d.setStatus(want);
      client.apps().deployments().inNamespace(key.namespace()).resource(d).updateStatus();
      counters.add("status.Deployment");
    }
  }

  /** A condition that keeps its transition time while its status stays, and its update time while nothing changes. */
  private static DeploymentCondition condition(
      DeploymentStatus prev, String type, boolean value, String reason, String message, Instant at) {
    String status = value ? "True" : "False";
    DeploymentCondition was =
        prev == null || prev.getConditions() == null
            ? null
            : prev.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    String transition = was != null && status.equals(was.getStatus()) ? was.getLastTransitionTime() : Sim.time(at);
    String update =
        was != null && status.equals(was.getStatus()) && reason.equals(was.getReason()) && "Available".equals(type)
            ? was.getLastUpdateTime()
            : Sim.time(at);
    return new DeploymentConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(transition)
        .withLastUpdateTime(update)
        .build();
  }

  private ReplicaSet createSet(Deployment d, String hash, int revision) {
    PodTemplateSpec template = Serialization.clone(d.getSpec().getTemplate());
    template.getMetadata().getLabels().put(HASH, hash);
    Map<String, String> selector = new LinkedHashMap<>(d.getSpec().getSelector().getMatchLabels() == null ? Map.of() : d.getSpec().getSelector().getMatchLabels());
    selector.put(HASH, hash);
    ReplicaSet rs =
        new ReplicaSetBuilder()
            .withNewMetadata()
            .withName(d.getMetadata().getName() + '-' + hash)
            .withNamespace(d.getMetadata().getNamespace())
            .withLabels(template.getMetadata().getLabels())
            .addToAnnotations(REVISION, String.valueOf(revision))
            .withOwnerReferences(Sim.ownerRef(d))
            .endMetadata()
            .withNewSpec()
            .withReplicas(0)
            .withSelector(
                new LabelSelectorBuilder()
                    .withMatchLabels(selector)
                    .withMatchExpressions(d.getSpec().getSelector().getMatchExpressions())
                    .build())
            .withTemplate(template)
            .endSpec()
            .build();
    counters.add("create.ReplicaSet");
    return client.apps().replicaSets().inNamespace(d.getMetadata().getNamespace()).resource(rs).create();
  }

  /**
   * The ReplicaSets to look at: those carrying the Deployment's selector labels (a set's labels are
   * its template's), or every set of the namespace when the Deployment is gone. The mock scans its
   * whole store per request, so a narrow query keeps a 200-service test fast.
   */
  private List<ReplicaSet> ownedSets(String ns, Deployment d) {
    var sets = client.apps().replicaSets().inNamespace(ns);
    Map<String, String> labels = d == null || d.getSpec().getSelector() == null ? null : d.getSpec().getSelector().getMatchLabels();
    return labels == null || labels.isEmpty() ? sets.list().getItems() : sets.withLabels(labels).list().getItems();
  }

  private void deleteSet(ReplicaSet rs) {
    for (Pod p : pods.selected(rs.getMetadata().getNamespace(), rs.getSpec().getSelector())) {
      if (Sim.ownedBy(p, rs)) {
        pods.delete(p);
      }
    }
    client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).withName(rs.getMetadata().getName()).delete();
  }

  private static String label(ReplicaSet rs) {
    Map<String, String> labels = rs.getMetadata().getLabels();
    return labels == null ? null : labels.get(HASH);
  }

  private static int revision(ReplicaSet rs) {
    Map<String, String> a = rs.getMetadata().getAnnotations();
    return a == null || a.get(REVISION) == null ? 0 : Integer.parseInt(a.get(REVISION));
  }

  private static int replicas(ReplicaSet rs) {
    return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }

  private static long n(Long i) {
    return i == null ? 0 : i;
  }
}
