package dev.slipway.generate;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * YAML as every generator writes it: block style, two-space indent, keys in insertion order (build
 * trees from {@link java.util.LinkedHashMap}s), long lines unwrapped, no timestamps, no anchors. The
 * same tree always gives the same bytes.
 *
 * <p>Maps, lists and plain scalars are written here directly; any scalar that might need quoting or a
 * block style is handed to SnakeYAML, whose output this reproduces byte for byte ({@code YamlTextTest}
 * holds the two side by side). Writing everything through SnakeYAML took half the time of
 * {@code generate all} on a 200-service model.
 */
public final class YamlText {
  /**
   * Scalars written plain here (when they also resolve to a string): they start with a letter, {@code _},
   * {@code /}, {@code $} or {@code (} — so no number, date or infinity of YAML 1.1 or 1.2 — and hold no
   * indicator or edge space. Everything else goes to SnakeYAML, which also quotes what YAML 1.2 readers
   * (Helm, kubectl) would take for a number, such as {@code 0238}.
   */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/$(][A-Za-z0-9_/.$(){}=+,@ :-]*[A-Za-z0-9_/.$(){}=+@-]|[A-Za-z_/]");
  private static final ThreadLocal<Yaml> SNAKE = ThreadLocal.withInitial(() -> yaml(false));
  private static final ThreadLocal<Resolver> RESOLVER = ThreadLocal.withInitial(Resolver::new);

  private YamlText() {}

  /** One document. */
  public static String dump(Object tree) {
    StringBuilder out = new StringBuilder(1024);
    try {
      document(out, tree);
    } catch (ComplexKey e) {
      return dumpWithSnakeYaml(tree);
    }
    return out.toString();
  }

  /** Several documents, each introduced by {@code ---}. */
  public static String dumpAll(List<?> trees) {
    StringBuilder out = new StringBuilder(4096);
    for (Object tree : trees) {
      out.append(tree instanceof Map<?, ?> m && !m.isEmpty() || tree instanceof List<?> l && !l.isEmpty() ? "---\n" : "--- ");
      int mark = out.length();
      try {
        document(out, tree);
      } catch (ComplexKey e) {
        out.setLength(mark);
        out.append(dumpWithSnakeYaml(tree));
      }
    }
    return out.toString();
  }

  /** The reference for {@link #dumpAll}: SnakeYAML with explicit document starts (for tests). */
  static String dumpAllWithSnakeYaml(List<?> trees) {
    return yaml(true).dumpAll(trees.iterator());
  }

  /** The reference: the same tree written entirely by SnakeYAML (for tests). */
  static String dumpWithSnakeYaml(Object tree) {
    return SNAKE.get().dump(tree);
  }

  private static void document(StringBuilder out, Object tree) {
    if (tree instanceof Map<?, ?> m && !m.isEmpty()) {
      map(out, m, 0);
    } else if (tree instanceof List<?> l && !l.isEmpty()) {
      list(out, l, 0);
    } else {
      out.append(scalar(tree, 0)).append('\n');
    }
  }

  private static void map(StringBuilder out, Map<?, ?> map, int indent) {
    boolean first = true;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!first) {
        pad(out, indent);
      }
      first = false;
      String key = scalar(e.getKey(), indent);
      if (key.indexOf('\n') >= 0 || String.valueOf(e.getKey()).length() >= 128) {
        throw new ComplexKey();
      }
      out.append(key).append(':');
      Object v = e.getValue();
      if (v instanceof Map<?, ?> m && !m.isEmpty()) {
        out.append('\n');
        pad(out, indent + 2);
        map(out, m, indent + 2);
      } else if (v instanceof List<?> l && !l.isEmpty()) {
        out.append('\n');
        pad(out, indent);
        list(out, l, indent);
      } else {
        out.append(' ').append(scalar(v, indent)).append('\n');
      }
    }
  }

  private static void list(StringBuilder out, List<?> list, int indent) {
    boolean first = true;
    for (Object v : list) {
      if (!first) {
        pad(out, indent);
      }
      first = false;
      out.append("- ");
      if (v instanceof Map<?, ?> m && !m.isEmpty()) {
        map(out, m, indent + 2);
      } else if (v instanceof List<?> l && !l.isEmpty()) {
        list(out, l, indent + 2);
      } else {
        out.append(scalar(v, indent)).append('\n');
      }
    }
  }

  /** A scalar as it appears after {@code key: } or {@code - } at {@code indent}. */
  private static String scalar(Object v, int indent) {
    switch (v) {
      case null -> {
        return "null";
      }
      case Map<?, ?> m -> {
        return "{}";
      }
      case List<?> l -> {
        return "[]";
      }
      case Boolean b -> {
        return b.toString();
      }
      case Integer i -> {
        return i.toString();
      }
      case Long n -> {
        return n.toString();
      }
      case String s when PLAIN.matcher(s).matches() && !s.contains(": ") && !s.contains(" #")
          && RESOLVER.get().resolve(NodeId.scalar, s, true).equals(Tag.STR) -> {
        return s;
      }
      default -> {
        return snakeScalar(v, indent);
      }
    }
  }

  /** SnakeYAML's rendering of one scalar, re-indented for where it goes (block scalars span lines). */
  private static String snakeScalar(Object v, int indent) {
    String text = SNAKE.get().dump(v);
    text = text.substring(0, text.length() - 1);
    if (indent == 0 || text.indexOf('\n') < 0) {
      return text;
    }
    return text.replace("\n", "\n" + " ".repeat(indent));
  }

  /** A key SnakeYAML writes with {@code ? } (multi-line, or 128 characters or more): that document goes to it whole. */
  private static final class ComplexKey extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ComplexKey() {
      super(null, null, false, false);
    }
  }

  private static void pad(StringBuilder out, int indent) {
    for (int i = 0; i < indent; i++) {
      out.append(' ');
    }
  }

  private static Yaml yaml(boolean explicitStart) {
    return new Yaml(options(explicitStart));
  }

  /** The dumper settings every generated YAML file uses (also for SnakeYAML dumps with their own representer). */
  static DumperOptions options(boolean explicitStart) {
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    o.setIndent(2);
    o.setIndicatorIndent(0);
    o.setIndentWithIndicator(false);
    o.setWidth(Integer.MAX_VALUE);
    o.setSplitLines(false);
    o.setExplicitStart(explicitStart);
    o.setLineBreak(DumperOptions.LineBreak.UNIX);
    return o;
  }
}
