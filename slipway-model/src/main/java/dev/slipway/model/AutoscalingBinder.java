package dev.slipway.model;

import org.yaml.snakeyaml.nodes.Node;

/** {@code autoscaling: { min, max, cpu }} of a service. */
final class AutoscalingBinder {
  private AutoscalingBinder() {}

  /** The service's autoscaling, or {@code null} when absent or wrong (reported). */
  static AutoscalingSpec bind(Problems p, YamlMap s, Integer replicas) {
    YamlMap a = s.map("autoscaling", ModelKeys.AUTOSCALING, "write e.g. `autoscaling: { min: 2, max: 10, cpu: 70% }`");
    if (a == null) {
      return null;
    }
    Node maxNode = a.require("max", "add `max:` with the most instances, e.g. `max: 10`");
    Integer min = a.integer("min", 1, Integer.MAX_VALUE, "write the fewest instances, at least 1, e.g. `2`");
    Integer max = a.integer("max", 1, Integer.MAX_VALUE, "write the most instances, e.g. `10`");
    Double cpu = cpu(p, a);
    if ((a.get("min") != null && min == null) || maxNode == null || max == null
        || (a.get("cpu") != null && cpu == null)) {
      return null;
    }
    int lowest = min != null ? min : Math.max(1, replicas == null ? 1 : replicas);
    if (max < lowest) {
      p.error(maxNode, a.path("max"), "`max` (" + max + ") is below " + (min != null ? "`min`" : "`replicas`")
          + " (" + lowest + ")", "raise `max` to at least " + lowest
          + (min != null ? " or lower `min`" : ", or set a lower `min:`"));
      return null;
    }
    return new AutoscalingSpec(lowest, max, cpu != null ? cpu : AutoscalingSpec.DEFAULT_CPU);
  }

  private static Double cpu(Problems p, YamlMap a) {
    String text = a.string("cpu");
    if (text == null) {
      return null;
    }
    try {
      double v = Quantities.rate(text);
      if (v <= 0) {
        p.error(a.get("cpu"), a.path("cpu"), "target CPU use must be more than 0%, found `" + text + "`",
            "write e.g. `cpu: 70%`");
        return null;
      }
      return v;
    } catch (ValueException e) {
      p.error(a.get("cpu"), a.path("cpu"), e);
      return null;
    }
  }
}
