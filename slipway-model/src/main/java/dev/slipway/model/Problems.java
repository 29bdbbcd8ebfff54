package dev.slipway.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * What one pass over a model found: its errors and where each model path was written. Binding never
 * stops at the first problem; everything is collected here and thrown once, as a {@link ModelException}.
 */
final class Problems {
  private final Path file;
  private final Set<ModelError> errors = new LinkedHashSet<>();
  private final Map<String, SourceLocation> locations = new LinkedHashMap<>();

  Problems(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  SourceLocation at(Mark mark) {
    return mark == null ? start() : new SourceLocation(file, mark.getLine() + 1, mark.getColumn() + 1);
  }

  SourceLocation at(Node node) {
    return node == null ? start() : at(node.getStartMark());
  }

  SourceLocation start() {
    return new SourceLocation(file, 1, 1);
  }

  /**
   * The location of the character at {@code offset} in a scalar's value. Exact when the scalar is
   * written on one line without escapes (plain or quoted); otherwise the scalar's start, since the
   * value no longer maps one to one onto the source text.
   */
  SourceLocation inScalar(ScalarNode node, int offset) {
    Mark s = node.getStartMark();
    Mark e = node.getEndMark();
    String v = node.getValue();
    if (s != null && e != null && s.getLine() == e.getLine() && offset >= 0 && offset <= v.length()) {
      DumperOptions.ScalarStyle style = node.getScalarStyle();
      int quote = style == DumperOptions.ScalarStyle.PLAIN ? 0
          : style == DumperOptions.ScalarStyle.SINGLE_QUOTED || style == DumperOptions.ScalarStyle.DOUBLE_QUOTED
              ? 1 : -1;
      if (quote >= 0 && e.getColumn() - s.getColumn() == v.codePointCount(0, v.length()) + 2 * quote) {
        return new SourceLocation(file, s.getLine() + 1, s.getColumn() + 1 + quote + v.codePointCount(0, offset));
      }
    }
    return at(node);
  }

  void error(SourceLocation at, String path, String message, String hint) {
    error(at, path, message, hint, null);
  }

  /** An error whose hint is exactly {@code fix} (or advice only, when {@code fix} is null). */
  void error(SourceLocation at, String path, String message, String hint, ModelFix fix) {
    errors.add(new ModelError(at, path, message, hint, fix));
  }

  void error(Node at, String path, String message, String hint) {
    error(at(at), path, message, hint, null);
  }

  void error(Node at, String path, String message, String hint, ModelFix fix) {
    error(at(at), path, message, hint, fix);
  }

  /** A value that does not parse; when the exception names the corrected text, it replaces the node. */
  void error(Node at, String path, ValueException e) {
    error(at(at), path, e.getMessage(), e.hint(),
        e.replacement() == null ? null : Fixes.replace(e.fixKind(), at, e.replacement()));
  }

  /** Remembers where {@code path} was written; the first record wins (the key, for collections). */
  void record(String path, SourceLocation at) {
    if (path != null && !path.isEmpty()) {
      locations.putIfAbsent(path, at);
    }
  }

  boolean hasErrors() {
    return !errors.isEmpty();
  }

  /** Errors in file order (line, column), ties kept in the order found. */
  List<ModelError> errors() {
    List<ModelError> sorted = new ArrayList<>(errors);
    sorted.sort(BY_POSITION);
    return sorted;
  }

  ModelLocations locations() {
    return new ModelLocations(locations);
  }

  static final Comparator<ModelError> BY_POSITION = Comparator
      .comparingInt((ModelError e) -> e.location().line())
      .thenComparingInt(e -> e.location().column());
}
