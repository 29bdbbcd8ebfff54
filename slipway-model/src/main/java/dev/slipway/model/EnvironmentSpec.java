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
 */
public record EnvironmentSpec(String name, TargetKind target, String namespace, SecretStoreSpec secretStore,
    GatewaySpec gateway, RouterSpec router) {

  /** An environment without router settings. */
  public EnvironmentSpec(String name, TargetKind target, String namespace, SecretStoreSpec secretStore,
      GatewaySpec gateway) {
    this(name, target, namespace, secretStore, gateway, null);
  }

  /** An environment without a secret store or gateway. */
  public EnvironmentSpec(String name, TargetKind target, String namespace) {
    this(name, target, namespace, null, null);
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
