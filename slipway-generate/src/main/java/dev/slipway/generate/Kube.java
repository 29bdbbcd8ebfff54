package dev.slipway.generate;

import dev.slipway.model.AppSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small builders for Kubernetes object trees: insertion-ordered maps, so the YAML is deterministic. */
final class Kube {
  static final String NAME = "app.kubernetes.io/name";
  static final String PART_OF = "app.kubernetes.io/part-of";
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  /** Non-root user and group every hardened workload runs as, unless its image needs another. */
  static final int USER = 10001;

  private Kube() {}

  /** A map from alternating keys and values; null values are left out. */
  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      if (kv[i + 1] != null) {
        m.put((String) kv[i], kv[i + 1]);
      }
    }
    return m;
  }

  static List<Object> list(Object... items) {
    return new ArrayList<>(Arrays.asList(items));
  }

  /** A top-level object with {@code metadata.name}, {@code namespace} (null for cluster-scoped) and labels. */
  static Map<String, Object> object(String apiVersion, String kind, String name, String namespace,
      Map<String, Object> labels) {
    return map("apiVersion", apiVersion, "kind", kind,
        "metadata", map("name", name, "namespace", namespace, "labels", labels));
  }

  /** Labels of everything generated for one service or resource of {@code app}. */
  static Map<String, Object> labels(AppSpec app, String component) {
    return map(NAME, component, PART_OF, app.name(), MANAGED_BY, "slipway");
  }

  /** The immutable selector of a workload's pods. */
  static Map<String, Object> selector(AppSpec app, String component) {
    return map(NAME, component, PART_OF, app.name());
  }

  /** Whole seconds, rounded up, at least 1. */
  static int seconds(Duration d) {
    long s = (d.toMillis() + 999) / 1000;
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, s));
  }

  /** A duration in Kubernetes/Argo notation: {@code 30s}, {@code 5m}, {@code 1h}. */
  static String duration(Duration d) {
    long s = seconds(d);
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    return s % 60 == 0 ? s / 60 + "m" : s + "s";
  }

  /**
   * A deep copy: no map or list instance is shared, so YAML never gets anchors and aliases, and a
   * caller may change the result freely. Numbers take the types YAML reads back (whole numbers as
   * Integer when they fit, else Long; decimals as Double), so the trees compare exactly with what
   * Helm or kubectl render from the written files.
   */
  @SuppressWarnings("unchecked")
  static <T> T copy(T tree) {
    return (T) switch (tree) {
      case Map<?, ?> m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put((String) k, copy(v)));
        yield out;
      }
      case List<?> l -> {
        List<Object> out = new ArrayList<>(l.size());
        l.forEach(v -> out.add(copy(v)));
        yield out;
      }
      case Long n -> n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE ? Integer.valueOf(n.intValue()) : n;
      case Short n -> Integer.valueOf(n);
      case Byte n -> Integer.valueOf(n);
      case Float f -> Double.valueOf(f);
      case null -> null;
      default -> tree;
    };
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> child(Map<String, Object> m, String... path) {
    Map<String, Object> cur = m;
    for (String p : path) {
      cur = (Map<String, Object>) cur.get(p);
      if (cur == null) {
        return null;
      }
    }
    return cur;
  }

  static String kind(Map<String, Object> object) {
    return (String) object.get("kind");
  }

  static String name(Map<String, Object> object) {
    return (String) child(object, "metadata").get("name");
  }
}
