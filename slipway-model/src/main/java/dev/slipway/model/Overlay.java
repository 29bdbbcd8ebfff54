package dev.slipway.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Merges an environment's overlay into the base at the node level, before binding, so that every
 * value keeps the position it was written at and errors point into the overlay or the base,
 * whichever the bad value came from. Rules:
 * <ul>
 *   <li>maps merge by key, recursively;</li>
 *   <li>lists whose items are all maps with a {@code name} merge by name (an item with a new name is
 *       appended, one with a known name is merged into it), so nothing is duplicated;</li>
 *   <li>any other value, including other lists and {@code null}, replaces the base value;</li>
 *   <li>a service's {@code strategy} is replaced, not merged, when the overlay picks another
 *       variant; merging {@code rolling} into {@code canary} would only produce an error.</li>
 * </ul>
 * Nodes are never modified: the base tree is shared by every environment in {@code validateAll}.
 */
final class Overlay {
  /** Far deeper than any model; only a guard should a future caller pass unchecked trees. */
  private static final int MAX_DEPTH = 64;

  private Overlay() {}

  /**
   * {@code base} (a {@code services:} or {@code resources:} map) with {@code overlay} merged in. Only
   * entries naming an existing base entry are expected in {@code overlay} (see EnvironmentBinder).
   */
  static Node apply(Node base, MappingNode overlay) {
    if (overlay == null || !(base instanceof MappingNode b)) {
      return base;
    }
    return mergeMaps(b, overlay, 0);
  }

  private static Node merge(Node base, Node over, int depth) {
    if (depth > MAX_DEPTH) {
      return over;
    }
    if (base instanceof MappingNode b && over instanceof MappingNode o) {
      return mergeMaps(b, o, depth);
    }
    if (base instanceof SequenceNode b && over instanceof SequenceNode o && named(b) && named(o)) {
      return mergeNamed(b, o, depth);
    }
    return over;
  }

  /** {@code depth} 0 is the services/resources map, 1 a single service or resource. */
  private static MappingNode mergeMaps(MappingNode base, MappingNode over, int depth) {
    List<NodeTuple> out = new ArrayList<>(base.getValue());
    for (NodeTuple ot : over.getValue()) {
      String key = text(ot.getKeyNode());
      int i = key == null ? -1 : lastIndexOf(out, key);
      if (i < 0) {
        out.add(ot);
        continue;
      }
      NodeTuple bt = out.get(i);
      Node bv = bt.getValueNode();
      Node ov = ot.getValueNode();
      boolean replace = depth == 1 && "strategy".equals(key) && !sharesKey(bv, ov);
      if (!replace && bv instanceof MappingNode && ov instanceof MappingNode) {
        // the base key stays, so "missing key" errors inside point where the base ones do
        out.set(i, new NodeTuple(bt.getKeyNode(), merge(bv, ov, depth + 1)));
      } else {
        out.set(i, new NodeTuple(ot.getKeyNode(), replace ? ov : merge(bv, ov, depth + 1)));
      }
    }
    return new MappingNode(base.getTag(), true, out, base.getStartMark(), base.getEndMark(), base.getFlowStyle());
  }

  private static SequenceNode mergeNamed(SequenceNode base, SequenceNode over, int depth) {
    List<Node> out = new ArrayList<>(base.getValue());
    for (Node item : over.getValue()) {
      String name = name(item);
      int i = -1;
      for (int j = 0; j < out.size() && i < 0; j++) {
        if (name.equals(name(out.get(j)))) {
          i = j;
        }
      }
      if (i < 0) {
        out.add(item);
      } else {
        out.set(i, merge(out.get(i), item, depth + 1));
      }
    }
    return new SequenceNode(over.getTag(), true, out, base.getStartMark(), base.getEndMark(), base.getFlowStyle());
  }

  /** Whether every item is a map with a scalar {@code name} (and there is at least one item). */
  private static boolean named(SequenceNode s) {
    if (s.getValue().isEmpty()) {
      return false;
    }
    for (Node item : s.getValue()) {
      if (name(item) == null) {
        return false;
      }
    }
    return true;
  }

  private static String name(Node item) {
    if (item instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if ("name".equals(text(t.getKeyNode())) && t.getValueNode() instanceof ScalarNode s && !Scalars.isNull(s)) {
          return s.getValue();
        }
      }
    }
    return null;
  }

  private static boolean sharesKey(Node a, Node b) {
    if (!(a instanceof MappingNode ma) || !(b instanceof MappingNode mb)) {
      return true; // not a variant switch; let the usual rules (and errors) apply
    }
    Set<String> keys = new HashSet<>();
    ma.getValue().forEach(t -> keys.add(text(t.getKeyNode())));
    for (NodeTuple t : mb.getValue()) {
      if (keys.contains(text(t.getKeyNode()))) {
        return true;
      }
    }
    return mb.getValue().isEmpty();
  }

  private static String text(Node key) {
    return key instanceof ScalarNode s ? s.getValue() : null;
  }

  private static int lastIndexOf(List<NodeTuple> tuples, String key) {
    for (int i = tuples.size() - 1; i >= 0; i--) {
      if (key.equals(text(tuples.get(i).getKeyNode()))) {
        return i;
      }
    }
    return -1;
  }
}
