package dev.slipway.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML mapping being bound at a model path. Creating one checks its keys against the allowed set
 * (reporting unknown ones with a did-you-mean) and records where every entry was written. Duplicate
 * keys were already reported by {@link TreeCheck}; here the last one wins, as in SnakeYAML.
 */
final class YamlMap {
  private final Problems problems;
  private final String path;
  private final SourceLocation owner;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
  /** Keys offered as "did you mean"; not also reported as missing (one typo, one error). */
  private final java.util.Set<String> suggested = new java.util.HashSet<>();

  private final MappingNode node;

  private YamlMap(Problems problems, MappingNode node, String path, SourceLocation owner) {
    this.problems = problems;
    this.node = node;
    this.path = path;
    this.owner = owner;
  }

  /**
   * A view of {@code node}, or {@code null} (after reporting) when it is not a mapping.
   *
   * @param owner where "missing key" errors point: the key holding this map, or the map itself
   * @param keys  the allowed keys, or {@code null} when keys are names chosen by the user
   * @param shape how to write this map, used as the hint when something else was found
   */
  static YamlMap of(Problems p, Node node, String path, SourceLocation owner, Collection<String> keys, String shape) {
    if (!(node instanceof MappingNode mapping)) {
      p.error(node, path, "expected a map, found " + Scalars.describe(node), shape);
      return null;
    }
    YamlMap map = new YamlMap(p, mapping, path, owner == null ? p.at(node) : owner);
    Set<String> written = new java.util.HashSet<>();
    mapping.getValue().forEach(t -> written.add(t.getKeyNode() instanceof ScalarNode ks ? ks.getValue() : null));
    for (NodeTuple t : mapping.getValue()) {
      Node k = t.getKeyNode();
      if (!(k instanceof ScalarNode ks) || ks.getValue().isEmpty()) {
        p.error(k, path, "expected a key name, found " + Scalars.describe(k), "write `name: value`");
        continue;
      }
      String key = ks.getValue();
      if (keys == ModelKeys.ROOT && key.startsWith("x-")) {
        continue; // extension keys, as in Compose files: a home for anchors (`x-defaults: &defaults`)
      }
      if (keys != null && !keys.contains(key)) {
        String close = Suggest.closest(key, keys);
        if (close != null) {
          map.suggested.add(close);
        }
        // renaming to a key the map already has would only trade this error for a duplicate
        p.error(k, child(path, key), "unknown key `" + Scalars.abbreviate(key) + "`",
            close != null ? "did you mean `" + close + "`?" : "valid keys here: " + String.join(", ", keys),
            close != null && !written.contains(close) ? Fixes.replace(ModelFix.Kind.KEY, k, close) : null);
        continue;
      }
      map.entries.put(key, t);
      Node v = t.getValueNode();
      boolean pointAtKey = Scalars.isNull(v) || v instanceof MappingNode || v instanceof SequenceNode;
      p.record(child(path, key), p.at(pointAtKey ? k : v));
    }
    return map;
  }

  static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String item(String path, int index) {
    return path + "[" + index + "]";
  }

  String path() {
    return path;
  }

  /** The mapping as written (or as merged with an overlay). */
  MappingNode node() {
    return node;
  }

  String path(String key) {
    return child(path, key);
  }

  SourceLocation owner() {
    return owner;
  }

  Set<String> keys() {
    return entries.keySet();
  }

  boolean has(String key) {
    return entries.containsKey(key);
  }

  /** The value, or {@code null} when absent or written as null ({@code key:} or {@code key: ~}). */
  Node get(String key) {
    NodeTuple t = entries.get(key);
    return t == null || Scalars.isNull(t.getValueNode()) ? null : t.getValueNode();
  }

  /** The value node even when it is null; {@code null} only when the key is absent. */
  Node raw(String key) {
    NodeTuple t = entries.get(key);
    return t == null ? null : t.getValueNode();
  }

  Node keyNode(String key) {
    NodeTuple t = entries.get(key);
    return t == null ? null : t.getKeyNode();
  }

  /** Where a missing-key error about the entry {@code key}'s contents should point: its key. */
  SourceLocation keyLocation(String key) {
    Node k = keyNode(key);
    return k == null ? owner : problems.at(k);
  }

  /** Entries in file order: key text and value node. */
  List<Map.Entry<String, NodeTuple>> entries() {
    return new ArrayList<>(entries.entrySet());
  }

  /** The value, or reports "missing required key" (at this map's key) and returns {@code null}. */
  Node require(String key, String hint) {
    Node v = get(key);
    if (v == null) {
      if (has(key)) {
        problems.error(keyNode(key), path(key), "`" + key + "` has no value", hint);
      } else if (!suggested.contains(key)) {
        problems.error(owner, path, "missing required key `" + key + "`", hint);
      }
    }
    return v;
  }

  /** A child map of fixed keys, or {@code null} when absent or wrong (reported). */
  YamlMap map(String key, Collection<String> keys, String shape) {
    Node v = get(key);
    return v == null ? null : of(problems, v, path(key), keyLocation(key), keys, shape);
  }

  String string(String key) {
    Node v = get(key);
    return v == null ? null : Scalars.string(problems, v, path(key));
  }

  Integer integer(String key, long min, long max, String hint) {
    Node v = get(key);
    return v == null ? null : Scalars.integer(problems, v, path(key), min, max, hint);
  }

  java.time.Duration duration(String key, boolean positive) {
    Node v = get(key);
    return v == null ? null : Scalars.duration(problems, v, path(key), positive);
  }

  /** A list of strings, or {@code null} when absent or wrong (reported). */
  List<String> strings(String key) {
    Node v = get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof SequenceNode seq)) {
      problems.error(v, path(key), "expected a list, found " + Scalars.describe(v),
          "write `[a, b]` or one `- item` per line");
      return null;
    }
    List<String> out = new ArrayList<>();
    List<Node> items = seq.getValue();
    for (int i = 0; i < items.size(); i++) {
      problems.record(item(path(key), i), problems.at(items.get(i)));
      String s = Scalars.string(problems, items.get(i), item(path(key), i));
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }
}
