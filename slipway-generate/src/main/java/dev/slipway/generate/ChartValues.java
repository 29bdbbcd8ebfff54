package dev.slipway.generate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The chart's values: one complete tree per variant (the base model's is {@code values.yaml}), and for
 * each environment only what differs from the base ({@code values-ENV.yaml}; Helm merges maps key by
 * key, and {@code null} removes a default key).
 */
final class ChartValues {
  private ChartValues() {}

  /**
   * The complete values of one variant. A variant without a parameter's object keeps the base's value
   * (so the environment file does not mention it); the base without it takes the first environment's,
   * so {@code values.yaml} shows every knob.
   *
   * @param base the base variant's values, or null when building them
   */
  static Map<String, Object> of(String variant, List<ChartParam> params, Map<String, Object> base) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (ChartParam p : params) {
      Map<String, Object> parent = parent(out, p.path());
      String key = p.path().getLast();
      if (p.values().containsKey(variant)) {
        parent.put(key, copy(p.values().get(variant)));
      } else if (p.objectVariants().contains(variant)) {
        continue; // the key is absent here: the parent exists, so the template's hasKey is false
      } else if (base != null) {
        Map<String, Object> baseParent = find(base, p.path());
        if (baseParent != null && baseParent.containsKey(key)) {
          parent.put(key, copy(baseParent.get(key)));
        }
      } else {
        parent.put(key, copy(p.values().values().iterator().next()));
      }
    }
    // Services first, the chart's own switches last, whatever order the objects came in.
    Map<String, Object> ordered = new LinkedHashMap<>();
    for (String group : List.of("services", "resources", "other")) {
      if (out.containsKey(group)) {
        ordered.put(group, out.remove(group));
      }
    }
    ordered.putAll(out);
    ordered.put("namespace", new LinkedHashMap<>(Map.of("create", false)));
    return ordered;
  }

  /** What {@code env} changes in {@code base}: changed or new keys, maps recursively, removed keys as null. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> diff(Map<String, Object> base, Map<String, Object> env) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : env.entrySet()) {
      Object b = base.get(e.getKey());
      if (b instanceof Map && e.getValue() instanceof Map) {
        Map<String, Object> d = diff((Map<String, Object>) b, (Map<String, Object>) e.getValue());
        if (!d.isEmpty()) {
          out.put(e.getKey(), d);
        }
      } else if (!base.containsKey(e.getKey()) || !Objects.equals(b, e.getValue())) {
        out.put(e.getKey(), e.getValue());
      }
    }
    for (String k : base.keySet()) {
      if (!env.containsKey(k)) {
        out.put(k, null);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parent(Map<String, Object> root, List<String> path) {
    Map<String, Object> cur = root;
    for (String segment : path.subList(0, path.size() - 1)) {
      cur = (Map<String, Object>) cur.computeIfAbsent(segment, k -> new LinkedHashMap<>());
    }
    return cur;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> find(Map<String, Object> root, List<String> path) {
    Map<String, Object> cur = root;
    for (String segment : path.subList(0, path.size() - 1)) {
      if (!(cur.get(segment) instanceof Map<?, ?> next)) {
        return null;
      }
      cur = (Map<String, Object>) next;
    }
    return cur;
  }

  /** A deep copy, so no two places in a YAML tree share an object (which would become an anchor). */
  static Object copy(Object tree) {
    return switch (tree) {
      case Map<?, ?> m -> {
        Map<Object, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, copy(v)));
        yield out;
      }
      case List<?> l -> {
        List<Object> out = new ArrayList<>();
        l.forEach(v -> out.add(copy(v)));
        yield out;
      }
      case null -> null;
      default -> tree;
    };
  }
}
