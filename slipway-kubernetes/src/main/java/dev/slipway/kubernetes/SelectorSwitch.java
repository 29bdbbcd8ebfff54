package dev.slipway.kubernetes;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ServiceResource;
import java.util.Map;

/**
 * Blue-green's switch: the Service {@code SERVICE} selects one release's pods
 * ({@code slipway.dev/release: rN}); moving all traffic to another release is one patch of that selector,
 * conditional on the selector being as read, so it is atomic for every client of the Service and a
 * concurrent change is refused. Rollback within the window is the same patch back.
 */
final class SelectorSwitch {
  private final KubernetesClient client;
  private final ClusterObjects objects;

  SelectorSwitch(KubernetesClient client, ClusterObjects objects) {
    this.client = client;
    this.objects = objects;
  }

  /**
   * Points {@code service}'s Service at {@code releaseId}, and answers the release it selects afterwards,
   * read back from the cluster's answer. No write when it already selects it.
   */
  String switchTo(String service, String releaseId) throws KubernetesException {
    return switchTo(get(service), releaseId);
  }

  /** The patch of {@code switchTo}, guarded by the selector as it was in {@code svc} (tests pass a stale one). */
  String switchTo(Service svc, String releaseId) throws KubernetesException {
    String service = svc.getMetadata().getName();
    Map<String, String> selector = svc.getSpec().getSelector();
    if (selector != null && releaseId.equals(selector.get(ClusterObjects.RELEASE))) {
      return releaseId;
    }
    JsonPatch patch = new JsonPatch().test("/spec/selector", selector)
        .add("/spec/selector/" + JsonPatch.escape(ClusterObjects.RELEASE), releaseId);
    try {
      Service after = resource(service).patch(JsonPatch.CONTEXT, patch.json());
      return after.getSpec().getSelector().get(ClusterObjects.RELEASE);
    } catch (KubernetesClientException e) {
      if (TrafficSplit.conflict(e)) {
        throw TrafficSplit.changedMeanwhile(objects, "service " + service, e);
      }
      throw TrafficSplit.failed(objects, "patch", "Service " + service, e);
    }
  }

  /** The release {@code service}'s Service selects now, or null when it selects no single release. */
  String active(String service) throws KubernetesException {
    Map<String, String> selector = get(service).getSpec().getSelector();
    return selector == null ? null : selector.get(ClusterObjects.RELEASE);
  }

  private Service get(String service) throws KubernetesException {
    Service svc;
    try {
      svc = resource(service).get();
    } catch (KubernetesClientException e) {
      throw TrafficSplit.failed(objects, "read", "Service " + service, e);
    }
    if (svc == null) {
      throw TrafficSplit.missing(objects, "Service " + service);
    }
    return svc;
  }

  private ServiceResource<Service> resource(String service) {
    return client.services().inNamespace(objects.namespace()).withName(service);
  }
}
