package dev.slipway.generate;

import java.util.LinkedHashMap;
import java.util.Map;

/** Helm's merge of a values file over the chart's defaults: maps key by key, {@code null} removes a key. */
final class HelmValues {
  private HelmValues() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(Map<String, Object> defaults, Map<String, Object> overrides) {
    Map<String, Object> out = new LinkedHashMap<>(defaults);
    for (Map.Entry<String, Object> e : overrides.entrySet()) {
      Object d = out.get(e.getKey());
      if (e.getValue() == null) {
        out.remove(e.getKey());
      } else if (d instanceof Map && e.getValue() instanceof Map) {
        out.put(e.getKey(), merge((Map<String, Object>) d, (Map<String, Object>) e.getValue()));
      } else {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }
}
