package dev.slipway.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** {@code strategy:} — exactly one of the {@link StrategyKind}s, by its model key. */
final class StrategyBinder {
  private StrategyBinder() {}

  /** The service's strategy (the default when not written); {@code null} after reporting a problem. */
  static StrategySpec bind(Binding b, YamlMap service) {
    Node node = service.get("strategy");
    if (node == null) {
      return StrategySpec.defaultStrategy();
    }
    StrategyKind written = node instanceof ScalarNode s ? modelKey(s.getValue()) : null;
    if (written != null && shortest(written).equals("{}")) {
      // the variant alone takes all its defaults; only the map around it is missing
      String map = "{ " + written.modelKey() + ": {} }";
      b.problems.error(node, service.path("strategy"), "expected a map, found " + Scalars.describe(node),
          "write `strategy: " + map + "`", Fixes.replace(ModelFix.Kind.STRATEGY_SHAPE, node, map));
      return null;
    }
    String shape = written != null
        ? "write `strategy: { " + written.modelKey() + ": " + shortest(written) + " }`"
        : "write e.g. `strategy: { rolling: { maxSurge: 1 } }`";
    YamlMap st = YamlMap.of(b.problems, node, service.path("strategy"), service.keyLocation("strategy"),
        ModelKeys.STRATEGY, shape);
    if (st == null) {
      return null;
    }
    List<String> chosen = new ArrayList<>(st.keys());
    if (chosen.isEmpty()) {
      if (((MappingNode) node).getValue().isEmpty()) { // unknown keys were reported already
        List<String> forms = Arrays.stream(StrategyKind.values()).map(k -> "`" + k.modelKey() + ": " + shortest(k) + "`")
            .toList();
        b.problems.error(st.owner(), st.path(), "no strategy chosen", "write one of "
            + String.join(", ", forms.subList(0, forms.size() - 1)) + " or " + forms.get(forms.size() - 1));
      }
      return null;
    }
    if (chosen.size() > 1) {
      b.problems.error(st.keyNode(chosen.get(1)), st.path(chosen.get(1)), "only one strategy allowed, found `"
          + chosen.get(0) + "` and `" + chosen.get(1) + "`", "keep one of them");
      return null;
    }
    String key = chosen.get(0);
    // YamlMap kept only the kinds' model keys and reported any other key with a did-you-mean
    StrategyKind kind = StrategyKind.byName(key).orElseThrow(() -> new IllegalStateException("not a strategy: " + key));
    Node value = st.get(key); // `rolling:` alone takes every default
    YamlMap m = value == null ? null : YamlMap.of(b.problems, value, st.path(key), st.keyLocation(key),
        ModelKeys.strategySettings(kind), "write `" + key + ": { … }` with its settings indented below");
    if (value != null && m == null) {
      return null;
    }
    return switch (kind) {
      case ROLLING -> rolling(b, m, st, key);
      case BLUE_GREEN -> blueGreen(b, m);
      case CANARY -> Canary.bind(b, m, st, key);
    };
  }

  private static StrategyKind modelKey(String key) {
    return StrategyKind.byName(key).filter(k -> k.modelKey().equals(key)).orElse(null);
  }

  /** The shortest valid way to write {@code kind}: {@code {}} when every setting has a default. */
  private static String shortest(StrategyKind kind) {
    return switch (kind) {
      case ROLLING, BLUE_GREEN -> "{}";
      case CANARY -> "{ steps: [ … ] }";
    };
  }

  private static StrategySpec rolling(Binding b, YamlMap m, YamlMap st, String kind) {
    if (m == null) {
      return StrategyKind.ROLLING.defaults();
    }
    Integer surge = m.integer("maxSurge", 0, Integer.MAX_VALUE, "write how many extra instances may start, e.g. `1`");
    Integer unavailable = m.integer("maxUnavailable", 0, Integer.MAX_VALUE,
        "write how many instances may be down at once, e.g. `0`");
    if ((m.get("maxSurge") != null && surge == null) || (m.get("maxUnavailable") != null && unavailable == null)) {
      return null;
    }
    int s = surge != null ? surge : 1;
    int u = unavailable != null ? unavailable : 0;
    if (s == 0 && u == 0) {
      b.problems.error(st.keyLocation(kind), st.path(kind), "`maxSurge` and `maxUnavailable` are both 0, so no "
          + "instance could ever be replaced", "set `maxSurge: 1` or `maxUnavailable: 1`");
      return null;
    }
    return new StrategySpec.Rolling(s, u);
  }

  private static StrategySpec blueGreen(Binding b, YamlMap m) {
    if (m == null) {
      return StrategyKind.BLUE_GREEN.defaults();
    }
    Duration window = m.duration("rollbackWindow", false);
    List<StrategySpec.SmokeCheck> smoke = smoke(b, m);
    if ((m.get("rollbackWindow") != null && window == null) || smoke == null) {
      return null;
    }
    return new StrategySpec.BlueGreen(window != null ? window : StrategySpec.BlueGreen.DEFAULT_ROLLBACK_WINDOW, smoke);
  }

  private static List<StrategySpec.SmokeCheck> smoke(Binding b, YamlMap m) {
    Node node = m.get("smoke");
    List<StrategySpec.SmokeCheck> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    if (!(node instanceof SequenceNode seq)) {
      b.problems.error(node, m.path("smoke"), "expected a list, found " + Scalars.describe(node),
          "write `smoke: [ { name: home, path: / } ]`");
      return null;
    }
    boolean ok = true;
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      String path = YamlMap.item(m.path("smoke"), i);
      Node item = seq.getValue().get(i);
      b.problems.record(path, b.problems.at(item));
      YamlMap c = YamlMap.of(b.problems, item, path, null, ModelKeys.SMOKE, "write `{ name: home, path: / }`");
      if (c == null) {
        ok = false;
        continue;
      }
      Node nameNode = c.require("name", "add `name:`; names let environments change one check");
      String name = nameNode == null ? null : Scalars.string(b.problems, nameNode, c.path("name"));
      if (name != null && names.putIfAbsent(name, i) != null) {
        b.problems.error(nameNode, c.path("name"), "duplicate smoke check `" + Scalars.abbreviate(name) + "`",
            "rename it; `" + name + "` is already used by smoke[" + names.get(name) + "]");
        name = null;
      }
      Node pathNode = c.require("path", "add `path:` with the request path, e.g. `path: /`");
      String httpPath = pathNode == null ? null : ServiceBinder.httpPath(b.problems, c, "path");
      Integer expect = c.integer("expect", 100, 599, "write an HTTP status code, e.g. `200`");
      if (name == null || httpPath == null || (c.get("expect") != null && expect == null)) {
        ok = false;
        continue;
      }
      out.add(new StrategySpec.SmokeCheck(name, httpPath, expect != null ? expect : 200));
    }
    return ok ? out : null;
  }
}
