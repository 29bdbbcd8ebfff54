package dev.slipway.model;

import java.time.Duration;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Converts YAML nodes to values by their text, never through SnakeYAML's constructors: a string field
 * takes the scalar exactly as written, so {@code version: 15.10} stays {@code "15.10"} and
 * {@code country: NO} stays {@code "NO"} instead of becoming a float or a boolean. Each method reports
 * a located error and returns {@code null} when the node does not fit.
 */
final class Scalars {
  private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");
  private static final Pattern DECIMAL = Pattern.compile("[-+]?\\d*\\.\\d+(?:[eE][-+]?\\d+)?");

  private Scalars() {}

  static boolean isNull(Node n) {
    return n == null || (n instanceof ScalarNode s && Tag.NULL.equals(s.getTag()));
  }

  /** How a node is named in "found …": {@code a map}, {@code a list}, {@code nothing}, {@code `text`}. */
  static String describe(Node n) {
    if (isNull(n)) {
      return "nothing";
    }
    return switch (n) {
      case MappingNode m -> "a map";
      case SequenceNode s -> "a list";
      case ScalarNode s -> isQuoted(s) ? "the quoted string `\"" + abbreviate(s.getValue()) + "\"`"
          : "`" + abbreviate(s.getValue()) + "`";
      default -> "a " + n.getNodeId();
    };
  }

  static boolean isQuoted(ScalarNode s) {
    return s.getScalarStyle() == DumperOptions.ScalarStyle.SINGLE_QUOTED
        || s.getScalarStyle() == DumperOptions.ScalarStyle.DOUBLE_QUOTED;
  }

  /** Text for a message: one line, at most 40 characters. */
  static String abbreviate(String s) {
    String one = s.replace("\n", "\\n").replace("\t", "\\t").replace("`", "'");
    return one.length() <= 40 ? one : one.substring(0, 37) + "...";
  }

  /** Any non-null scalar, as written. */
  static String string(Problems p, Node n, String path) {
    if (n instanceof ScalarNode s && !isNull(s)) {
      return s.getValue();
    }
    p.error(n, path, "expected a string, found " + describe(n),
        isNull(n) ? "write a value after the `:`" : "write a single value; quote it if it starts with `{` or `[`");
    return null;
  }

  /** A plain whole number within [min, max]. */
  static Integer integer(Problems p, Node n, String path, long min, long max, String hint) {
    String range = max == Integer.MAX_VALUE ? "of at least " + min : "from " + min + " to " + max;
    if (!(n instanceof ScalarNode s) || isNull(s)) {
      p.error(n, path, "expected an integer, found " + describe(n), hint);
      return null;
    }
    String t = s.getValue().strip();
    boolean inRange = INTEGER.matcher(t).matches() && t.length() <= 12 && Long.parseLong(t) >= min
        && Long.parseLong(t) <= max;
    if (isQuoted(s) && inRange) { // out of range, the range is the news; the quotes come after
      p.error(n, path, "expected an integer, found " + describe(n), "remove the quotes",
          Fixes.replace(ModelFix.Kind.UNQUOTE_NUMBER, n, t));
      return null;
    }
    if (!INTEGER.matcher(t).matches()) {
      p.error(n, path, (DECIMAL.matcher(t).matches() ? "expected a whole number, found " : "expected an integer, found ")
          + describe(n), hint);
      return null;
    }
    long v;
    try {
      v = t.length() > 12 ? Long.MAX_VALUE : Long.parseLong(t);
    } catch (NumberFormatException e) {
      v = Long.MAX_VALUE;
    }
    if (v < min || v > max) {
      p.error(n, path, "expected an integer " + range + ", found `" + abbreviate(t) + "`", hint);
      return null;
    }
    return (int) v;
  }

  /** {@code true} or {@code false}, unquoted: {@code yes}, {@code on} or {@code "true"} are not taken for one. */
  static Boolean bool(Problems p, Node n, String path) {
    if (n instanceof ScalarNode s && !isNull(s) && !isQuoted(s)
        && (s.getValue().equals("true") || s.getValue().equals("false"))) {
      return Boolean.valueOf(s.getValue());
    }
    p.error(n, path, "expected true or false, found " + describe(n), "write `true` or `false`");
    return null;
  }

  static Duration duration(Problems p, Node n, String path, boolean positive) {
    if (!(n instanceof ScalarNode s) || isNull(s)) {
      p.error(n, path, "expected a duration, found " + describe(n), "write it like `500ms`, `30s`, `5m` or `1m30s`");
      return null;
    }
    try {
      Duration d = Durations.parse(s.getValue());
      if (positive && d.isZero()) {
        p.error(n, path, "expected a duration longer than 0, found `" + s.getValue().strip() + "`", "write e.g. `1s`");
        return null;
      }
      return d;
    } catch (ValueException e) {
      p.error(n, path, e);
      return null;
    }
  }

  /** One of {@code choices} (lower-case words in the file), with a did-you-mean when misspelt. */
  static String choice(Problems p, Node n, String path, java.util.List<String> choices) {
    String text = string(p, n, path);
    if (text == null) {
      return null;
    }
    if (choices.contains(text)) {
      return text;
    }
    String close = Suggest.closest(text, choices);
    p.error(n, path, "unknown value `" + abbreviate(text) + "`",
        close != null ? "did you mean `" + close + "`?" : "use one of " + String.join(", ", choices),
        close != null ? Fixes.replace(ModelFix.Kind.VALUE, n, close) : null);
    return null;
  }
}
