package dev.slipway.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * {@code dependsOn:} in both forms ({@code { db: healthy }} and {@code [db]}), and the checks that
 * need every service: unknown names and dependency cycles.
 */
final class Dependencies {
  private static final List<String> CONDITIONS = List.of("started", "healthy");

  private Dependencies() {}

  /** The service's dependencies; {@code null} after reporting a problem. */
  static Map<String, DependencyCondition> bind(Binding b, String service, YamlMap s) {
    Map<String, DependencyCondition> out = new LinkedHashMap<>();
    Node node = s.get("dependsOn");
    if (node == null) {
      return out;
    }
    String path = s.path("dependsOn");
    Problems p = b.problems;
    if (node instanceof SequenceNode seq) {
      boolean ok = true;
      List<Node> items = seq.getValue();
      for (int i = 0; i < items.size(); i++) {
        p.record(YamlMap.item(path, i), p.at(items.get(i)));
        String name = Scalars.string(p, items.get(i), YamlMap.item(path, i));
        if (name == null) {
          ok = false;
        } else if (out.containsKey(name)) {
          p.error(items.get(i), YamlMap.item(path, i), "`" + Scalars.abbreviate(name) + "` is listed twice",
              "remove one of them");
          ok = false;
        } else {
          out.put(name, DependencyCondition.HEALTHY);
          b.dependencies.add(new Binding.Dependency(service, name, items.get(i), YamlMap.item(path, i)));
        }
      }
      return ok ? out : null;
    }
    YamlMap map = YamlMap.of(p, node, path, s.keyLocation("dependsOn"), null,
        "write `dependsOn: { db: healthy }` or `dependsOn: [db]`");
    if (map == null) {
      return null;
    }
    boolean ok = true;
    for (Map.Entry<String, NodeTuple> e : map.entries()) {
      String name = e.getKey();
      Node v = map.get(name); // `db:` alone means healthy, the useful default
      String condition = v == null ? "healthy" : Scalars.choice(p, v, map.path(name), CONDITIONS);
      if (condition == null) {
        ok = false;
        continue;
      }
      out.put(name, DependencyCondition.valueOf(condition.toUpperCase(java.util.Locale.ROOT)));
      b.dependencies.add(new Binding.Dependency(service, name, e.getValue().getKeyNode(), map.path(name)));
    }
    return ok ? out : null;
  }

  /** Unknown names, then one error per cycle, at the entry that closes it. */
  static void check(Binding b) {
    Set<String> known = new LinkedHashSet<>(b.serviceKeys.keySet());
    known.addAll(b.resourceKeys.keySet());
    Map<String, List<Binding.Dependency>> edges = new LinkedHashMap<>();
    for (Binding.Dependency d : b.dependencies) {
      if (!known.contains(d.to())) {
        String close = Suggest.closest(d.to(), known);
        // renaming to a dependency already listed, or to the service itself, would only trade errors
        boolean fixable = close != null && !close.equals(d.from())
            && b.dependencies.stream().noneMatch(o -> o.from().equals(d.from()) && o.to().equals(close));
        b.problems.error(d.at(), d.path(), "unknown service or resource `" + Scalars.abbreviate(d.to()) + "`",
            close != null ? "did you mean `" + close + "`?"
                : known.isEmpty() ? "define it under `services:` or `resources:`"
                    : "name one of " + Names.list(known),
            fixable ? Fixes.replace(ModelFix.Kind.DEPENDENCY, d.at(), close) : null);
      } else if (b.serviceKeys.containsKey(d.to())) {
        edges.computeIfAbsent(d.from(), k -> new ArrayList<>()).add(d);
      }
    }
    Set<String> done = new HashSet<>();
    for (String service : b.serviceKeys.keySet()) {
      visit(b, service, edges, done);
    }
  }

  /**
   * Depth-first search from {@code root}; a dependency on a service still on the stack closes a
   * cycle. Iterative, because a generated model may chain thousands of services.
   */
  private static void visit(Binding b, String root, Map<String, List<Binding.Dependency>> edges, Set<String> done) {
    if (done.contains(root)) {
      return;
    }
    List<String> stack = new ArrayList<>();
    List<Integer> next = new ArrayList<>(); // per stack entry: the index of the next edge to follow
    Set<String> onStack = new HashSet<>();
    stack.add(root);
    next.add(0);
    onStack.add(root);
    while (!stack.isEmpty()) {
      int top = stack.size() - 1;
      String service = stack.get(top);
      List<Binding.Dependency> out = edges.getOrDefault(service, List.of());
      int i = next.get(top);
      if (i == out.size()) {
        stack.remove(top);
        next.remove(top);
        onStack.remove(service);
        done.add(service);
        continue;
      }
      next.set(top, i + 1);
      Binding.Dependency d = out.get(i);
      if (onStack.contains(d.to())) {
        int at = stack.indexOf(d.to());
        List<String> cycle = new ArrayList<>(stack.subList(at, stack.size()));
        cycle.add(d.to());
        b.problems.error(d.at(), d.path(), "dependency cycle: " + String.join(" → ", cycle),
            cycle.size() == 2 ? "a service cannot depend on itself; remove this entry"
                : "remove one of these dependencies");
      } else if (!done.contains(d.to())) {
        stack.add(d.to());
        next.add(0);
        onStack.add(d.to());
      }
    }
  }
}
