package dev.slipway.model;

import java.util.Collections;
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
 * Text that holds no references ({@code image}, health paths, versions, names…) reaches processes and
 * generated files exactly as written, so a {@code ${…}} in it is a mistake: nothing would ever
 * expand it. Runs after binding, over the sections as bound (overlay merged), skipping the scalars
 * that were read as templates.
 */
final class PlainText {
  private final Binding b;
  private final Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());

  private PlainText(Binding b) {
    this.b = b;
  }

  static void check(Binding b, Map<String, Node> sections) {
    PlainText c = new PlainText(b);
    sections.forEach((path, node) -> c.walk(node, path));
  }

  /** The sections to check: every top-level value, with {@code services:}/{@code resources:} as bound. */
  static Map<String, Node> sections(Binding b) {
    Map<String, Node> out = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, NodeTuple> e : b.root.entries()) {
      String key = e.getKey();
      Node value = switch (key) {
        case "services" -> b.servicesNode;
        case "resources" -> b.resourcesNode;
        default -> e.getValue().getValueNode();
      };
      if (value != null) {
        out.put(key, value);
      }
    }
    return out;
  }

  private void walk(Node node, String path) {
    if (node == null || !seen.add(node) || b.templateNodes.contains(node)) {
      return;
    }
    switch (node) {
      case MappingNode m -> {
        for (NodeTuple t : m.getValue()) {
          String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?";
          // an environment's service and resource overlays are checked merged, when it is selected
          if (!(path.startsWith("environments.") && path.indexOf('.', 13) < 0
              && (key.equals("services") || key.equals("resources")))) {
            walk(t.getValueNode(), YamlMap.child(path, key));
          }
        }
      }
      case SequenceNode s -> {
        List<Node> items = s.getValue();
        for (int i = 0; i < items.size(); i++) {
          walk(items.get(i), YamlMap.item(path, i));
        }
      }
      case ScalarNode s -> scalar(s, path);
      default -> { }
    }
  }

  private void scalar(ScalarNode node, String path) {
    String v = node.getValue();
    int at = v.indexOf("${");
    while (at > 0 && v.charAt(at - 1) == '$') { // `$${` is a literal
      at = v.indexOf("${", at + 2);
    }
    if (at < 0 || Scalars.isNull(node)) {
      return;
    }
    int end = v.indexOf('}', at);
    String text = v.substring(at, end < 0 ? v.length() : end + 1);
    boolean image = path.endsWith(".image");
    b.problems.error(b.problems.inScalar(node, at), path, "`" + Scalars.abbreviate(text)
            + "` is never expanded here: only `run`, `build.command`, `env` values and a resource's `url` hold "
            + "references", image
            ? "write the tag itself, or leave it out and pass `--image-tag TAG` to `slipway generate`"
            : "write the value itself; `$${` is a literal `${`");
  }
}
