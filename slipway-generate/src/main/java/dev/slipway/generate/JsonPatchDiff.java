package dev.slipway.generate;

import static dev.slipway.generate.Kube.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON Patch (RFC 6902) that turns one object tree into another. Maps are compared key by key;
 * a list that differs is replaced whole, so an overlay never duplicates list entries the way a naive
 * merge does.
 */
final class JsonPatchDiff {
  private JsonPatchDiff() {}

  static List<Object> diff(Map<String, Object> from, Map<String, Object> to) {
    List<Object> ops = new ArrayList<>();
    diff("", from, to, ops);
    return ops;
  }

  @SuppressWarnings("unchecked")
  private static void diff(String path, Map<String, Object> from, Map<String, Object> to, List<Object> ops) {
    for (Map.Entry<String, Object> e : from.entrySet()) {
      if (!to.containsKey(e.getKey())) {
        ops.add(map("op", "remove", "path", path + "/" + escape(e.getKey())));
      }
    }
    for (Map.Entry<String, Object> e : to.entrySet()) {
      String p = path + "/" + escape(e.getKey());
      Object old = from.get(e.getKey());
      if (!from.containsKey(e.getKey())) {
        ops.add(map("op", "add", "path", p, "value", Kube.copy(e.getValue())));
      } else if (old instanceof Map<?, ?> om && e.getValue() instanceof Map<?, ?> nm) {
        diff(p, (Map<String, Object>) om, (Map<String, Object>) nm, ops);
      } else if (!Objects.equals(old, e.getValue())) {
        ops.add(map("op", "replace", "path", p, "value", Kube.copy(e.getValue())));
      }
    }
  }

  /** A JSON Pointer segment: {@code ~} and {@code /} escaped. */
  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
