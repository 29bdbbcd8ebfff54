package dev.slipway.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code down --env E}: deletes what Slipway created in the environment's namespace, found by its label
 * {@code app.kubernetes.io/managed-by: slipway} kind by kind, plus the release records and the services'
 * Leases; nothing else, and not the namespace itself (other things may live there).
 */
final class ClusterTeardown {
  /** The kinds Slipway applies (the generator's, the strategies'), in deletion order: traffic first, state last. */
  static final List<ResourceDefinitionContext> KINDS = List.of(
      kind("gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes"),
      kind("networking.k8s.io", "v1", "Ingress", "ingresses"),
      kind("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers"),
      kind("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets"),
      kind("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies"),
      kind("apps", "v1", "Deployment", "deployments"),
      kind("apps", "v1", "StatefulSet", "statefulsets"),
      kind("", "v1", "Service", "services"),
      kind("", "v1", "ConfigMap", "configmaps"),
      kind("external-secrets.io", "v1beta1", "ExternalSecret", "externalsecrets"),
      kind("", "v1", "Secret", "secrets"),
      kind("coordination.k8s.io", "v1", "Lease", "leases"));

  private ClusterTeardown() {}

  static List<String> plan(RunnerContext ctx) throws KubernetesException {
    List<String> out = new ArrayList<>();
    for (ResourceDefinitionContext k : KINDS) {
      for (HasMetadata o : list(ctx, k)) {
        out.add(k.getKind() + " " + ctx.namespace() + "/" + o.getMetadata().getName());
      }
    }
    for (String service : ctx.app.services().keySet()) {
      String lease = "Lease " + ctx.namespace() + "/" + ClusterLease.name(service);
      if (!out.contains(lease) && exists(ctx, ClusterLease.name(service))) {
        out.add(lease);
      }
    }
    return out;
  }

  static void run(RunnerContext ctx) throws KubernetesException {
    for (ResourceDefinitionContext k : KINDS) {
      for (HasMetadata o : list(ctx, k)) {
        try {
          ctx.client().genericKubernetesResources(k).inNamespace(ctx.namespace()).withName(o.getMetadata().getName())
              .delete();
        } catch (KubernetesClientException e) {
          throw ctx.error(e, "delete", k.getPlural());
        }
      }
    }
    ctx.records.deleteAll();
    for (String service : ctx.app.services().keySet()) {
      try {
        ctx.client().leases().inNamespace(ctx.namespace()).withName(ClusterLease.name(service)).delete();
      } catch (KubernetesClientException e) {
        throw ctx.error(e, "delete", "leases");
      }
    }
  }

  private static List<? extends HasMetadata> list(RunnerContext ctx, ResourceDefinitionContext k) throws KubernetesException {
    try {
      return ctx.client().genericKubernetesResources(k).inNamespace(ctx.namespace())
          .withLabel(ClusterObjects.MANAGED_BY, "slipway").list().getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return List.of(); // a kind this cluster does not serve (no Gateway API, no External Secrets): nothing of it
      }
      throw ctx.error(e, "list", k.getPlural());
    }
  }

  private static boolean exists(RunnerContext ctx, String lease) throws KubernetesException {
    try {
      return ctx.client().leases().inNamespace(ctx.namespace()).withName(lease).get() != null;
    } catch (KubernetesClientException e) {
      throw ctx.error(e, "get", "leases");
    }
  }

  private static ResourceDefinitionContext kind(String group, String version, String kind, String plural) {
    return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
        .withPlural(plural).withNamespaced(true).build();
  }
}
