package dev.slipway.kubernetes.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Pod reads and writes the workload controllers share, counted. */
final class Pods {

  private final KubernetesClient client;
  private final Counters counters;

  Pods(KubernetesClient client, Counters counters) {
    this.client = client;
    this.counters = counters;
  }

  /** Live (not cached) pods of a namespace that a selector selects, so a controller never acts on a stale view. */
  List<Pod> selected(String namespace, LabelSelector selector) {
    Map<String, String> labels = selector == null ? null : selector.getMatchLabels();
    var pods = client.pods().inNamespace(namespace);
    List<Pod> all = labels == null || labels.isEmpty() ? pods.list().getItems() : pods.withLabels(labels).list().getItems();
    return all.stream().filter(p -> Sim.matches(selector, p.getMetadata().getLabels())).toList();
  }

  /** Creates a pod from a template, owned by its controller. */
  Pod create(HasMetadata owner, String name, PodTemplateSpec template) {
    PodTemplateSpec t = Serialization.clone(template);
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(owner.getMetadata().getNamespace())
            .withLabels(t.getMetadata() == null ? null : t.getMetadata().getLabels())
            .withAnnotations(t.getMetadata() == null ? null : t.getMetadata().getAnnotations())
            .withOwnerReferences(Sim.ownerRef(owner))
            .endMetadata()
            .withSpec(t.getSpec())
            .editSpec()
            .withNodeName("sim-node")
            .endSpec()
            .build();
    Pod created = client.pods().inNamespace(owner.getMetadata().getNamespace()).resource(pod).create();
    counters.add("create.Pod");
    return created;
  }

  void delete(Pod pod) {
    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
    counters.add("delete.Pod");
  }

  /** The order a ReplicaSet gives up pods in: unready first, then the youngest. */
  static final Comparator<Pod> DELETE_FIRST =
      Comparator.comparing((Pod p) -> Sim.ready(p))
          .thenComparing(
              (Pod p) -> String.valueOf(p.getMetadata().getCreationTimestamp()), Comparator.reverseOrder())
          .thenComparing(p -> p.getMetadata().getName(), Comparator.reverseOrder());
}
