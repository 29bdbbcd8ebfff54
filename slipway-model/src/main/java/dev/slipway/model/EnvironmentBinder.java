package dev.slipway.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * {@code environments:}: where each environment runs, and its overlays. Overlays are checked here for
 * shape and names only; their values are checked when merged into the base and bound, so that an
 * error points at the overlay line that caused it.
 */
final class EnvironmentBinder {
  private static final List<String> TARGETS = List.of("local", "kubernetes");

  /**
   * The bound environments; per environment, its valid overlay nodes (or null) and the node of its
   * {@code target:} when written.
   */
  record Result(Map<String, EnvironmentSpec> specs, Map<String, Overlays> overlays, YamlMap section,
      Map<String, Node> targets) {}

  /** Overlay maps holding only entries that name a base service/resource and are maps. */
  record Overlays(MappingNode services, MappingNode resources) {}

  private EnvironmentBinder() {}

  static Result bind(Binding b, YamlMap app, Set<String> serviceNames, Set<String> resourceNames) {
    Map<String, EnvironmentSpec> specs = new LinkedHashMap<>();
    Map<String, Overlays> overlays = new LinkedHashMap<>();
    Map<String, Node> targets = new LinkedHashMap<>();
    YamlMap section = app.map("environments", null, "write one environment per line, e.g. `staging: { target: kubernetes }`");
    if (section == null) {
      return new Result(specs, overlays, null, targets);
    }
    Problems p = b.problems;
    Map<String, Node> froms = new LinkedHashMap<>();
    for (Map.Entry<String, NodeTuple> e : section.entries()) {
      String name = e.getKey();
      String path = section.path(name);
      Names.checkDnsLabel(p, e.getValue().getKeyNode(), path, "environment name", name, section.keys());
      Node value = section.get(name);
      if (value == null) { // `dev:` alone: a local environment with no overrides
        specs.put(name, new EnvironmentSpec(name, EnvironmentSpec.TargetKind.LOCAL, null));
        continue;
      }
      YamlMap env = YamlMap.of(p, value, path, section.keyLocation(name), ModelKeys.ENVIRONMENT,
          "write e.g. `" + name + ": { target: kubernetes, namespace: " + b.appName + " }`");
      if (env == null) {
        continue;
      }
      if (env.get("target") != null) {
        targets.put(name, env.get("target"));
      }
      String target = env.get("target") == null ? "local"
          : Scalars.choice(p, env.get("target"), env.path("target"), TARGETS);
      String namespace = env.string("namespace");
      if (namespace != null) {
        Names.checkDnsLabel(p, env.get("namespace"), env.path("namespace"), "namespace", namespace, Set.of());
      }
      SecretStoreSpec secretStore = ClusterBinder.secretStore(p, env, target);
      GatewaySpec gateway = ClusterBinder.gateway(p, env, target);
      RouterSpec router = RouterBinder.router(p, env, name, target);
      ClusterSettings cluster = ClusterSettingsBinder.bind(p, env, name, target);
      PromotionSpec promotion = PromotionBinder.promotion(p, env, name, section.keys(), froms);
      boolean isProtected = PromotionBinder.isProtected(p, env, name);
      if (target != null) {
        specs.put(name, new EnvironmentSpec(name, EnvironmentSpec.TargetKind.valueOf(target.toUpperCase(java.util.Locale.ROOT)),
            namespace, secretStore, gateway, router, cluster, promotion, isProtected));
      }
      overlays.put(name, new Overlays(
          overlay(p, env, "services", "service", serviceNames),
          overlay(p, env, "resources", "resource", resourceNames)));
    }
    PromotionBinder.checkChains(p, froms, section.keys());
    return new Result(specs, overlays, section, targets);
  }

  private static MappingNode overlay(Problems p, YamlMap env, String key, String what, Set<String> known) {
    YamlMap map = env.map(key, null, "write the " + what + "s to change by name, e.g. `" + key + ": { "
        + (known.isEmpty() ? "name" : known.iterator().next()) + ": { … } }`");
    if (map == null) {
      return null;
    }
    List<NodeTuple> valid = new java.util.ArrayList<>();
    for (Map.Entry<String, NodeTuple> e : map.entries()) {
      String name = e.getKey();
      Node k = e.getValue().getKeyNode();
      if (!known.contains(name)) {
        String close = Suggest.closest(name, known);
        p.error(k, map.path(name), "unknown " + what + " `" + Scalars.abbreviate(name) + "`",
            close != null ? "did you mean `" + close + "`?"
                : known.isEmpty() ? "an overlay can only change " + key + " defined at the top level"
                    : "an overlay can only change " + key + " defined at the top level: " + Names.list(known),
            close != null && !map.has(close) ? Fixes.replace(ModelFix.Kind.OVERLAY_NAME, k, close) : null);
        continue;
      }
      Node v = map.get(name);
      if (v == null) {
        continue;
      }
      if (!(v instanceof MappingNode)) {
        p.error(v, map.path(name), "expected a map, found " + Scalars.describe(v),
            "write the keys to change, e.g. `" + name + ": { " + ("service".equals(what) ? "replicas: 2" : "version: \"16\"")
                + " }`");
        continue;
      }
      valid.add(e.getValue());
    }
    MappingNode source = (MappingNode) env.get(key);
    return new MappingNode(source.getTag(), true, valid, source.getStartMark(), source.getEndMark(), source.getFlowStyle());
  }
}
