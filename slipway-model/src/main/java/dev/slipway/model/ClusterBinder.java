package dev.slipway.model;

import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The cluster add-ons an environment names: {@code secretStore:} (External Secrets Operator) and
 * {@code gateway:} (Gateway API). Both only mean something on {@code target: kubernetes}.
 */
final class ClusterBinder {
  static final List<String> STORE_KINDS = List.of("ClusterSecretStore", "SecretStore");

  private ClusterBinder() {}

  /** {@code secretStore: { name: vault, kind: ClusterSecretStore }}, or {@code null} when absent or wrong. */
  static SecretStoreSpec secretStore(Problems p, YamlMap env, String target) {
    YamlMap store = env.map("secretStore", ModelKeys.SECRET_STORE,
        "write e.g. `secretStore: { name: vault, kind: ClusterSecretStore }`");
    if (store == null || !onKubernetes(p, env, "secretStore", target)) {
      return null;
    }
    String name = name(p, store, "secret store name", "`name: vault`, the name of the (Cluster)SecretStore");
    String kind = store.get("kind") == null ? STORE_KINDS.getFirst()
        : Scalars.choice(p, store.get("kind"), store.path("kind"), STORE_KINDS);
    if (name == null || kind == null) {
      return null;
    }
    return new SecretStoreSpec(name, kind.equals("SecretStore") ? SecretStoreSpec.Kind.SECRET_STORE
        : SecretStoreSpec.Kind.CLUSTER_SECRET_STORE);
  }

  /** {@code gateway: { name: public, namespace: gateways }}, or {@code null} when absent or wrong. */
  static GatewaySpec gateway(Problems p, YamlMap env, String target) {
    YamlMap gateway = env.map("gateway", ModelKeys.GATEWAY, "write e.g. `gateway: { name: public, namespace: gateways }`");
    if (gateway == null || !onKubernetes(p, env, "gateway", target)) {
      return null;
    }
    String name = name(p, gateway, "gateway name", "`name: public`, the name of the Gateway");
    String namespace = gateway.string("namespace");
    boolean validNamespace = namespace == null
        || Names.checkDnsLabel(p, gateway.get("namespace"), gateway.path("namespace"), "namespace", namespace,
            java.util.Set.of());
    return name == null || !validNamespace ? null : new GatewaySpec(name, namespace);
  }

  private static String name(Problems p, YamlMap map, String what, String example) {
    Node n = map.require("name", "add " + example);
    String name = n == null ? null : Scalars.string(p, n, map.path("name"));
    return name != null && Names.checkDnsLabel(p, n, map.path("name"), what, name, java.util.Set.of()) ? name : null;
  }

  /** Reports (and returns false) when {@code key} is set on an environment that is not a cluster. */
  static boolean onKubernetes(Problems p, YamlMap env, String key, String target) {
    if (target == null || target.equals("kubernetes")) {
      return target != null;
    }
    // `dev` must stay local (`slipway up` runs it), so there the key can only go
    boolean dev = env.path().equals("environments." + ModelLoader.DEFAULT_ENVIRONMENT);
    p.error(env.keyNode(key), env.path(key), "`" + key + "` is only used with `target: kubernetes`",
        dev ? "remove `" + key + ":`; `dev` runs locally, with `slipway up`"
            : "remove `" + key + ":`, or add `target: kubernetes`");
    return false;
  }
}
