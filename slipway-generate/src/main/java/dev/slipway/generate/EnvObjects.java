package dev.slipway.generate;

import static dev.slipway.generate.Kube.list;
import static dev.slipway.generate.Kube.map;

import dev.slipway.generate.ClusterEndpoints.Piece;
import dev.slipway.generate.ClusterEndpoints.SecretKey;
import dev.slipway.generate.ClusterEndpoints.Text;
import dev.slipway.model.AppSpec;
import dev.slipway.model.SecretNames;
import dev.slipway.model.ServiceSpec;
import dev.slipway.model.Template;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A service's environment in the cluster: plain values in a ConfigMap, anything secret as a
 * {@code secretKeyRef} on the app's Secret. A value that mixes text and secrets (a URL with a
 * password) is composed by Kubernetes from helper variables with {@code $(VAR)}, so no secret value
 * is ever written.
 */
final class EnvObjects {
  /** Plain values by name (the ConfigMap's data). */
  final Map<String, String> plain = new LinkedHashMap<>();
  /** The container's {@code env} list: PORT, helper variables, then secret-bearing values. */
  final List<Object> env = new ArrayList<>();
  /** The Secret keys this service needs. */
  final Set<String> secretKeys = new LinkedHashSet<>();

  private EnvObjects() {}

  static EnvObjects of(AppSpec app, ServiceSpec s) {
    EnvObjects out = new EnvObjects();
    if (!s.env().containsKey("PORT")) {
      out.env.add(map("name", "PORT", "value", Integer.toString(ClusterEndpoints.port(s))));
    }
    List<Object> composed = new ArrayList<>();
    Set<String> helpers = new LinkedHashSet<>();
    for (Map.Entry<String, Template> e : s.env().entrySet()) {
      List<Piece> pieces = ClusterEndpoints.resolve(app, s, e.getValue());
      if (SecretNames.isLiteralSecret(e.getKey(), e.getValue())) {
        // A password written literally in the model: never in a ConfigMap; the operator puts it in the Secret.
        String key = literalSecretKey(e.getKey());
        out.secretKeys.add(key);
        composed.add(map("name", e.getKey(), "valueFrom", secretRef(app, key)));
      } else if (pieces.stream().allMatch(p -> p instanceof Text)) {
        out.plain.put(e.getKey(), pieces.isEmpty() ? "" : ((Text) pieces.getFirst()).text());
      } else if (pieces.size() == 1) {
        String key = ((SecretKey) pieces.getFirst()).key();
        out.secretKeys.add(key);
        composed.add(map("name", e.getKey(), "valueFrom", secretRef(app, key)));
      } else {
        StringBuilder value = new StringBuilder();
        for (Piece p : pieces) {
          switch (p) {
            case Text t -> value.append(t.text().replace("$(", "$$("));
            case SecretKey k -> {
              out.secretKeys.add(k.key());
              helpers.add(k.key());
              value.append("$(").append(ClusterEndpoints.helperVariable(k.key())).append(')');
            }
          }
        }
        composed.add(map("name", e.getKey(), "value", value.toString()));
      }
    }
    for (String key : helpers) {
      out.env.add(map("name", ClusterEndpoints.helperVariable(key), "valueFrom", secretRef(app, key)));
    }
    out.env.addAll(composed);
    return out;
  }

  /** The Secret key for such a value: {@code ADMIN_PASSWORD} → {@code admin-password}. */
  static String literalSecretKey(String name) {
    return name.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  static Map<String, Object> secretRef(AppSpec app, String key) {
    return map("secretKeyRef", map("name", ClusterEndpoints.secretName(app), "key", key));
  }

  static String configMapName(ServiceSpec s) {
    return s.name() + "-env";
  }

  /** The ConfigMap with the plain values, or null when there are none. */
  Map<String, Object> configMap(AppSpec app, ServiceSpec s, String namespace) {
    if (plain.isEmpty()) {
      return null;
    }
    Map<String, Object> cm = Kube.object("v1", "ConfigMap", configMapName(s), namespace, Kube.labels(app, s.name()));
    cm.put("data", new LinkedHashMap<>(plain));
    return cm;
  }

  /** {@code envFrom} for the container, or null when there is no ConfigMap. */
  List<Object> envFrom(ServiceSpec s) {
    return plain.isEmpty() ? null : list(map("configMapRef", map("name", configMapName(s))));
  }

  /** A stable hash of the plain values, put on the pod template so a changed ConfigMap rolls the pods. */
  String configHash() {
    long h = 1125899906842597L;
    for (Map.Entry<String, String> e : plain.entrySet()) {
      for (char c : (e.getKey() + "=" + e.getValue() + "\n").toCharArray()) {
        h = 31 * h + c;
      }
    }
    return String.format("%016x", h);
  }
}
