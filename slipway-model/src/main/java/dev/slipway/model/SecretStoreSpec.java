package dev.slipway.model;

/**
 * Where an environment's secrets live in the cluster: an External Secrets Operator store
 * ({@code secretStore: { name: vault, kind: ClusterSecretStore }}). With one, the kubernetes target
 * emits an {@code ExternalSecret} that fills the app's Secret from it.
 *
 * @param name the store's name (a DNS label)
 * @param kind whether it is cluster-wide or in the environment's namespace
 */
public record SecretStoreSpec(String name, Kind kind) {

  /** The two store kinds of the External Secrets Operator, by their Kubernetes kind. */
  public enum Kind {
    CLUSTER_SECRET_STORE("ClusterSecretStore"),
    SECRET_STORE("SecretStore");

    private final String key;

    Kind(String key) {
      this.key = key;
    }

    /** The Kubernetes kind, also the word in the model file. */
    public String key() {
      return key;
    }
  }
}
