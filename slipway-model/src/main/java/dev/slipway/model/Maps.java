package dev.slipway.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Immutable, order-preserving copies for record components. */
final class Maps {
  private Maps() {}

  static <K, V> Map<K, V> frozen(Map<K, V> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  static <T> List<T> frozen(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}
