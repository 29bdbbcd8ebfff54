package dev.slipway.kubernetes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Walking and copying the generator's object trees (insertion-ordered maps and lists). */
final class Trees {
  private Trees() {}

  /** The map at {@code path} under {@code m}, or null when a step is missing. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> child(Map<String, Object> m, String... path) {
    Map<String, Object> cur = m;
    for (String p : path) {
      if (cur == null) {
        return null;
      }
      cur = (Map<String, Object>) cur.get(p);
    }
    return cur;
  }

  /** The map under {@code key}, created (empty) when missing. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> childOrNew(Map<String, Object> m, String key) {
    return (Map<String, Object>) m.computeIfAbsent(key, k -> new LinkedHashMap<>());
  }

  static String name(Map<String, Object> object) {
    return (String) child(object, "metadata").get("name");
  }

  /** A deep copy: no map or list is shared, so changing the copy never changes the generator's tree. */
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
      case null -> null;
      default -> tree;
    };
  }
}
