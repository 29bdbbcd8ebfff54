package dev.slipway.model;

/**
 * What a {@code kubernetes} environment says about the cluster beyond its namespace: which kubeconfig
 * context, where its Prometheus is, whether releases go through a GitOps repository, and whether
 * images must be pinned by digest. {@link #NONE} for a local environment or one that sets none.
 *
 * @param context        the kubeconfig context ({@code context:}); {@code --context} overrides it; null
 *                       for the kubeconfig's current context
 * @param prometheus     where canary analysis reads metrics on the cluster, or null (none)
 * @param gitops         commit rendered manifests to this repository instead of applying them, or null
 * @param requireDigests refuse a mutable image tag: every image must be {@code name@sha256:…}
 */
public record ClusterSettings(String context, PrometheusSpec prometheus, GitOpsSpec gitops, boolean requireDigests) {
  public static final ClusterSettings NONE = new ClusterSettings(null, null, null, false);
}
