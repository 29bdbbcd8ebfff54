package dev.slipway.generate;

import dev.slipway.model.AppSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the chart puts the fields users tune, whatever object carries them: a workload's replicas,
 * image and resources, a service's env, ingress host and autoscaling bounds always become values
 * (so {@code --set services.api.image.tag=SHA} works even when no environment changes them); the
 * namespace becomes {@code .Release.Namespace}; label maps become helper includes. Everything else is
 * a value only where environments differ (see {@link ChartTemplates}).
 */
final class ChartRules {
  private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "Rollout", "ReplicaSet");

  /** The object being walked: its kind and name, the component it belongs to, and its values prefix. */
  record Subject(String kind, String name, String component, String group, String key, Set<String> variants,
      String soleContainer) {
    List<String> prefix() {
      return List.of(group, component);
    }
  }

  /** A rule's values path (relative to the component's values) and the model field it stands for. */
  record Rule(List<String> path, String modelField, boolean image) {}

  private ChartRules() {}

  /**
   * A namespace or a label map, when every variant agrees on what it is; else null. Label maps are only
   * recognised as map values (a helper include needs a key to hang under).
   */
  static ChartExpr special(AppSpec app, Subject s, List<String> path, Map<String, Object> nodes,
      Map<String, String> namespaces, boolean inList) {
    boolean namespaceField = path.equals(List.of("metadata", "namespace"))
        || (s.kind().equals("Namespace") && path.equals(List.of("metadata", "name")));
    if (namespaceField && nodes.entrySet().stream().allMatch(e -> e.getValue().equals(namespaces.get(e.getKey())))) {
      return new ChartExpr.Namespace();
    }
    if (inList || path.isEmpty() || !(nodes.values().iterator().next() instanceof Map<?, ?> first)
        || !nodes.values().stream().allMatch(first::equals)) {
      return null;
    }
    // Label maps name their component: look only at that one (checking every component is quadratic).
    if (!(first.get(Kube.NAME) instanceof String c)
        || !(app.services().containsKey(c) || app.resources().containsKey(c) || app.name().equals(c))) {
      return null;
    }
    if (first.equals(Kube.labels(app, c))) {
      return new ChartExpr.Labels(c, false);
    }
    if (first.equals(Kube.selector(app, c))) {
      return new ChartExpr.Labels(c, true);
    }
    return null;
  }

  /** The rule for {@code path} in {@code s}, or null. */
  static Rule rule(Subject s, List<String> path) {
    String c = s.component();
    if (WORKLOADS.contains(s.kind()) && path.equals(List.of("spec", "replicas"))) {
      return new Rule(List.of("replicas"), "replicas", false);
    }
    if (path.size() == 6 && path.subList(0, 4).equals(List.of("spec", "template", "spec", "containers"))) {
      String container = path.get(4);
      boolean own = container.equals(c) || container.equals(s.soleContainer());
      return switch (path.get(5)) {
        case "image" -> new Rule(own ? List.of("image") : List.of("images", container), "image", true);
        case "resources" -> new Rule(own ? List.of("resources") : List.of("containerResources", container),
            "resources", false);
        default -> null;
      };
    }
    if (s.kind().equals("ConfigMap") && s.name().equals(c + "-env") && path.equals(List.of("data"))) {
      return new Rule(List.of("env"), "env", false);
    }
    if (s.kind().equals("Ingress") && path.equals(List.of("spec", "rules", "0", "host"))) {
      return new Rule(List.of(s.key(), "host"), "ingress.host", false);
    }
    if (s.kind().equals("HorizontalPodAutoscaler")) {
      if (path.equals(List.of("spec", "minReplicas"))) {
        return new Rule(List.of(s.key(), "minReplicas"), "autoscaling.min", false);
      }
      if (path.equals(List.of("spec", "maxReplicas"))) {
        return new Rule(List.of(s.key(), "maxReplicas"), "autoscaling.max", false);
      }
      if (path.equals(List.of("spec", "metrics", "0", "resource", "target", "averageUtilization"))) {
        return new Rule(List.of(s.key(), "targetCPUUtilizationPercentage"), "autoscaling.cpu", false);
      }
    }
    return null;
  }

  /** An image as values: {@code repository}, {@code tag} ("" when none) and, when pinned, {@code digest}. */
  static Map<String, Object> image(String image) {
    Map<String, Object> out = new LinkedHashMap<>();
    int at = image.indexOf('@');
    String name = at >= 0 ? image.substring(0, at) : image;
    int colon = name.indexOf(':', name.lastIndexOf('/') + 1);
    out.put("repository", colon >= 0 ? name.substring(0, colon) : name);
    out.put("tag", colon >= 0 ? name.substring(colon + 1) : "");
    if (at >= 0) {
      out.put("digest", image.substring(at + 1));
    }
    return out;
  }

  /**
   * The release namespace inside text that differs between variants only by it ({@code db.shop.svc} /
   * {@code db.shop-staging.svc}); the namespace counts only as a whole DNS label. Null when that does
   * not explain the difference.
   */
  static ChartExpr.Namespaced namespaced(Map<String, Object> nodes, Map<String, String> namespaces) {
    List<String> common = null;
    for (Map.Entry<String, Object> e : nodes.entrySet()) {
      if (!(e.getValue() instanceof String text)) {
        return null;
      }
      List<String> parts = split(text, namespaces.get(e.getKey()));
      if (parts.size() < 2 || (common != null && !common.equals(parts))) {
        return null;
      }
      common = parts;
    }
    return common == null ? null : new ChartExpr.Namespaced(common);
  }

  private static List<String> split(String text, String namespace) {
    List<String> parts = new ArrayList<>();
    int from = 0;
    int at = text.indexOf(namespace);
    while (at >= 0) {
      int end = at + namespace.length();
      if ((at == 0 || !label(text.charAt(at - 1))) && (end == text.length() || !label(text.charAt(end)))) {
        parts.add(text.substring(from, at));
        from = end;
      }
      at = text.indexOf(namespace, Math.max(end, at + 1));
    }
    parts.add(text.substring(from));
    return parts;
  }

  private static boolean label(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  }
}
