package dev.slipway.model;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Checks over the whole node tree before binding. Anchors and aliases make the tree a graph: an
 * anchor used inside itself makes it cyclic, and a few aliases of aliases make it expand
 * exponentially. Both are rejected here, so that every later walk (overlay merging, binding) is
 * bounded. Duplicate keys are reported here too, once per mapping however often it is aliased.
 */
final class TreeCheck {
  /** Values after alias expansion; a real model has a few hundred. */
  static final long MAX_EXPANDED = 100_000;

  private final Problems problems;
  private final Set<Node> onPath = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<Node, Long> sizes = new IdentityHashMap<>();
  private boolean cyclic;

  private TreeCheck(Problems problems) {
    this.problems = problems;
  }

  /** Whether binding may proceed (the tree is finite and small); problems are reported either way. */
  static boolean check(Node root, Problems p) {
    TreeCheck c = new TreeCheck(p);
    long size = c.walk(root, "");
    if (c.cyclic) {
      return false;
    }
    if (size > MAX_EXPANDED) {
      p.error(root, "", "the aliases (`*name`) expand to more than " + MAX_EXPANDED + " values",
          "write the values out, or use fewer nested aliases");
      return false;
    }
    return true;
  }

  /** The expanded size of {@code n}; each node is walked once (sizes are memoised). */
  private long walk(Node n, String path) {
    Long known = sizes.get(n);
    if (known != null) {
      return known;
    }
    if (!onPath.add(n)) {
      cyclic = true;
      problems.error(n, path, "this value contains itself"
              + (n.getAnchor() != null ? " (alias `*" + n.getAnchor() + "` inside `&" + n.getAnchor() + "`)" : ""),
          "an alias must not refer to a map or list that encloses it");
      return 1;
    }
    long size = 1;
    if (n instanceof MappingNode m) {
      duplicates(m, path);
      for (NodeTuple t : m.getValue()) {
        String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
        size = add(size, walk(t.getKeyNode(), path));
        size = add(size, walk(t.getValueNode(), YamlMap.child(path, key)));
      }
    } else if (n instanceof SequenceNode s) {
      List<Node> items = s.getValue();
      for (int i = 0; i < items.size(); i++) {
        size = add(size, walk(items.get(i), YamlMap.item(path, i)));
      }
    }
    onPath.remove(n);
    sizes.put(n, size);
    return size;
  }

  private static long add(long a, long b) {
    long r = a + b;
    return r < 0 || r > MAX_EXPANDED * 10 ? MAX_EXPANDED * 10 : r;
  }

  private void duplicates(MappingNode m, String path) {
    Map<String, Node> seen = new HashMap<>();
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        continue;
      }
      Node first = seen.putIfAbsent(k.getValue(), k);
      // keys merged in by `<<` carry the anchor's position; only explicit repeats are mistakes
      if (first != null && first != k) {
        problems.error(k, YamlMap.child(path, k.getValue()), "duplicate key `" + Scalars.abbreviate(k.getValue()) + "`",
            "remove one of them; the first is at line " + (first.getStartMark().getLine() + 1));
      }
    }
  }
}
