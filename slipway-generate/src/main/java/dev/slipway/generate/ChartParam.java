package dev.slipway.generate;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A place in the chart's values: where it lives ({@code services.api.replicas}), what it stands for, and
 * its value in each variant that has it.
 *
 * @param path           the values path, one segment per map key
 * @param meaning        what it is, for the report ({@code services.api.replicas}, or the object path)
 * @param values         the value by variant key, for the variants where it is present
 * @param objectVariants the variants whose output has the object it belongs to; a variant there but not
 *                       in {@code values} leaves the key out ({@code optional})
 * @param optional       the key is absent in some variants: the template tests for it with {@code hasKey}
 */
record ChartParam(List<String> path, String meaning, Map<String, Object> values, Set<String> objectVariants,
    boolean optional) {
  ChartParam {
    path = List.copyOf(path);
    values = new LinkedHashMap<>(values);
    objectVariants = new LinkedHashSet<>(objectVariants);
  }

  /**
   * Takes over another object's values for the same field when the two never disagree (a canary
   * service's Rollout in one environment, its Deployment in another: one {@code replicas} for both).
   *
   * @return whether it did
   */
  boolean absorb(Map<String, Object> others, Set<String> otherVariants, boolean otherOptional) {
    if (otherOptional != optional || otherVariants.stream().anyMatch(v -> objectVariants.contains(v)
        && !java.util.Objects.equals(values.get(v), others.get(v)))) {
      return false;
    }
    values.putAll(others);
    objectVariants.addAll(otherVariants);
    return true;
  }

  /** Whether every value is text: the template quotes it instead of writing JSON. */
  boolean text() {
    return values.values().stream().allMatch(v -> v instanceof String);
  }

  String dotted() {
    return String.join(".", path);
  }
}
