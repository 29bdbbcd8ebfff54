package dev.slipway.model;

/**
 * A deployment environment. Its overrides ({@code services:}, {@code resources:}) are merged into the
 * base model when the environment is selected; what remains here is where it runs.
 *
 * @param name        the environment name
 * @param target      where it runs
 * @param namespace   the Kubernetes namespace, or {@code null} (default: the application name)
 * @param secretStore the External Secrets store the app's Secret comes from, or {@code null} (the
 *                    operator creates the Secret)
 * @param gateway     the Gateway API Gateway that routes {@code ingress} traffic, or {@code null} (an
 *                    {@code Ingress} per service)
 * @param router      what its router lets clients choose and see; null for the environment's
 *                    {@link RouterSpec#defaultsFor defaults}
 * @param cluster     the cluster's context, Prometheus, GitOps repository and digest rule
 *                    ({@code kubernetes} only); null for {@link ClusterSettings#NONE}
 * @param promotion   where its releases are promoted from and the gates, or null (no promotion)
 * @param isProtected whether a direct deploy is refused (only promotions reach it)
 */
public record EnvironmentSpec(String name, TargetKind target, String namespace, SecretStoreSpec secretStore,
    GatewaySpec gateway, RouterSpec router, ClusterSettings cluster, PromotionSpec promotion,
    boolean isProtected) {

  public EnvironmentSpec {
    router = router == null ? RouterSpec.defaultsFor(name) : router;
    cluster = cluster == null ? ClusterSettings.NONE : cluster;
  }

  /** An environment that is not promoted into and not protected. */
  public EnvironmentSpec(String name, TargetKind target, String namespace, SecretStoreSpec secretStore,
      GatewaySpec gateway, RouterSpec router, ClusterSettings cluster) {
    this(name, target, namespace, secretStore, gateway, router, cluster, null, false);
  }

  /** An environment without cluster settings. */
  public EnvironmentSpec(String name, TargetKind target, String namespace, SecretStoreSpec secretStore,
      GatewaySpec gateway, RouterSpec router) {
    this(name, target, namespace, secretStore, gateway, router, null);
  }

  /** An environment with its router's defaults. */
  public EnvironmentSpec(String name, TargetKind target, String namespace, SecretStoreSpec secretStore,
      GatewaySpec gateway) {
    this(name, target, namespace, secretStore, gateway, null, null);
  }

  /** An environment without a secret store or gateway. */
  public EnvironmentSpec(String name, TargetKind target, String namespace) {
    this(name, target, namespace, null, null, null, null);
  }

  /** The kinds of place an environment runs in. */
  public enum TargetKind {
    LOCAL("local"),
    KUBERNETES("kubernetes");

    private final String key;

    TargetKind(String key) {
      this.key = key;
    }

    public String key() {
      return key;
    }
  }
}
