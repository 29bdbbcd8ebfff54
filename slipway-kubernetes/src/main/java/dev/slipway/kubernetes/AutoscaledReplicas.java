package dev.slipway.kubernetes;

import dev.slipway.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The replica count of a service with {@code autoscaling}: its HorizontalPodAutoscaler owns it, so a release
 * never writes the model's {@code replicas} over what the autoscaler set. An update keeps the live count
 * (never omits the field: a create/update would reset it to 1, and server-side apply would drop it); a new
 * release's set starts at the count the live release runs with, or at the autoscaler's minimum.
 */
final class AutoscaledReplicas {
  private AutoscaledReplicas() {}

  /**
   * How many pods {@code service}'s {@code deployment} should run: {@code modelled} without autoscaling;
   * with it, the live Deployment's count, or the autoscaler's minimum when there is none.
   */
  static int of(RunnerContext ctx, ServiceSpec service, String deployment, int modelled) throws KubernetesException {
    if (service.autoscaling() == null) {
      return modelled;
    }
    Deployment live;
    try {
      live = ctx.client().apps().deployments().inNamespace(ctx.namespace()).withName(deployment).get();
    } catch (KubernetesClientException e) {
      throw ctx.error(e, "get", "deployments");
    }
    Integer n = live == null || live.getSpec() == null ? null : live.getSpec().getReplicas();
    return n != null ? n : service.autoscaling().min();
  }

  /** {@code d} (a service's rolling Deployment) with the autoscaler's live count, when it has one. */
  static Deployment keepLive(RunnerContext ctx, ServiceSpec service, Deployment d) throws KubernetesException {
    if (service.autoscaling() != null) {
      d.getSpec().setReplicas(of(ctx, service, d.getMetadata().getName(), d.getSpec().getReplicas()));
    }
    return d;
  }
}
