package dev.slipway.generate;

import static dev.slipway.generate.Kube.map;

import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.model.SecretStoreSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The app's Secret when the environment names a {@code secretStore}: an External Secrets Operator
 * {@code ExternalSecret} that creates it from the store. It maps each key the workloads reference to the
 * remote key {@code APP/ENV/KEY}; it never holds a value.
 */
final class SecretObjects {
  static final String API = "external-secrets.io/v1beta1";
  /** How often the operator re-reads the store, so a rotated value reaches the Secret within the hour. */
  static final String REFRESH = "1h";

  private SecretObjects() {}

  /** The selected environment's store, or null (the operator creates the Secret). */
  static SecretStoreSpec store(AppSpec app) {
    return app.selectedEnvironment().map(EnvironmentSpec::secretStore).orElse(null);
  }

  /** Where a Secret key's value lives in the store: {@code shop/production/db-password}. */
  static String remoteKey(AppSpec app, String key) {
    return app.name() + "/" + app.environment() + "/" + key;
  }

  /** Every Secret key a {@code secretKeyRef} in {@code objects} names, sorted. */
  static Set<String> referencedKeys(List<Map<String, Object>> objects) {
    Set<String> keys = new TreeSet<>();
    objects.forEach(o -> collect(o, keys));
    return keys;
  }

  /** The ExternalSecret for {@code keys}, or null without a store or without keys. */
  static Map<String, Object> externalSecret(AppSpec app, Set<String> keys, String namespace) {
    SecretStoreSpec store = store(app);
    if (store == null || keys.isEmpty()) {
      return null;
    }
    String secret = ClusterEndpoints.secretName(app);
    List<Object> data = new ArrayList<>();
    for (String key : keys) {
      data.add(map("secretKey", key, "remoteRef", map("key", remoteKey(app, key))));
    }
    Map<String, Object> es = Kube.object(API, "ExternalSecret", secret, namespace, Kube.labels(app, app.name()));
    es.put("spec", map(
        "refreshInterval", REFRESH,
        "secretStoreRef", map("name", store.name(), "kind", store.kind().key()),
        "target", map("name", secret, "creationPolicy", "Owner"),
        "data", data));
    return es;
  }

  private static void collect(Object tree, Set<String> keys) {
    if (tree instanceof Map<?, ?> m) {
      if (m.get("secretKeyRef") instanceof Map<?, ?> ref && ref.get("key") instanceof String k) {
        keys.add(k);
      }
      m.values().forEach(v -> collect(v, keys));
    } else if (tree instanceof List<?> l) {
      l.forEach(v -> collect(v, keys));
    }
  }
}
