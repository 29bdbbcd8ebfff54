package dev.slipway.model;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Builds {@link ModelFix}es from the node tree's positions. Each returns {@code null} when the edit
 * cannot be placed exactly (a scalar whose text does not map one to one onto its value, a mapping
 * with nowhere safe to insert), so that a fix is offered only when it is certain to land.
 */
final class Fixes {
  private Fixes() {}

  /** Replaces the whole node (a scalar with its quotes, if any) with {@code yaml}. */
  static ModelFix replace(ModelFix.Kind kind, Node node, String yaml) {
    Mark s = node == null ? null : node.getStartMark();
    Mark e = node == null ? null : node.getEndMark();
    if (s == null || e == null || e.getIndex() <= s.getIndex()) {
      return null;
    }
    return ModelFix.of(kind, new ModelFix.Edit(s.getIndex(), e.getIndex(), yaml));
  }

  /**
   * Replaces {@code length} characters at {@code offset} of the scalar's value. Only for scalars
   * written on one line without escapes, where value and text correspond character for character,
   * and only with text that needs no quoting in the scalar's style.
   */
  static ModelFix replaceInScalar(ModelFix.Kind kind, ScalarNode node, int offset, int length, String text) {
    int quote = quote(node);
    String v = node.getValue();
    if (quote < 0 || offset < 0 || offset + length > v.length()) {
      return null;
    }
    DumperOptions.ScalarStyle style = node.getScalarStyle();
    if ((style == DumperOptions.ScalarStyle.DOUBLE_QUOTED && (text.contains("\"") || text.contains("\\")))
        || (style == DumperOptions.ScalarStyle.SINGLE_QUOTED && text.contains("'"))) {
      return null;
    }
    int start = node.getStartMark().getIndex() + quote + v.codePointCount(0, offset);
    int end = start + v.codePointCount(offset, offset + length);
    return ModelFix.of(kind, new ModelFix.Edit(start, end, text));
  }

  /**
   * The number of quote characters before a single-line scalar's value (0 plain, 1 quoted), or -1
   * when its text and value do not correspond one to one.
   */
  static int quote(ScalarNode node) {
    Mark s = node.getStartMark();
    Mark e = node.getEndMark();
    if (s == null || e == null || s.getLine() != e.getLine()) {
      return -1;
    }
    DumperOptions.ScalarStyle style = node.getScalarStyle();
    int quote = style == DumperOptions.ScalarStyle.PLAIN ? 0
        : style == DumperOptions.ScalarStyle.SINGLE_QUOTED || style == DumperOptions.ScalarStyle.DOUBLE_QUOTED ? 1 : -1;
    String v = node.getValue();
    return quote >= 0 && e.getIndex() - s.getIndex() == v.codePointCount(0, v.length()) + 2 * quote ? quote : -1;
  }

  /** Inserts {@code text} at a code point offset. */
  static ModelFix insert(ModelFix.Kind kind, int at, String text) {
    return ModelFix.of(kind, new ModelFix.Edit(at, at, text));
  }

  /**
   * Adds the entry {@code entry} ({@code key: value}, the value in flow style) to a mapping: after
   * the {@code {} of a flow mapping, or on a line of its own before the first key of a block mapping.
   */
  static ModelFix insertEntry(ModelFix.Kind kind, Node map, String entry) {
    if (!(map instanceof MappingNode m) || m.getStartMark() == null || m.getEndMark() == null) {
      return null;
    }
    int start = m.getStartMark().getIndex();
    int end = m.getEndMark().getIndex();
    if (m.getFlowStyle() == DumperOptions.FlowStyle.FLOW) {
      // the mark of a flow mapping is its `{`; the buffer shows whether it really is
      if (!isOpeningBrace(m.getStartMark())) {
        return null;
      }
      return insert(kind, start + 1, m.getValue().isEmpty() ? " " + entry + " " : " " + entry + ",");
    }
    for (NodeTuple t : m.getValue()) {
      Mark k = t.getKeyNode().getStartMark();
      // keys merged in by `<<` were written elsewhere; insert next to one written here
      if (k != null && k.getIndex() >= start && k.getIndex() < end) {
        return insert(kind, k.getIndex(), entry + "\n" + " ".repeat(k.getColumn()));
      }
    }
    return null;
  }

  private static boolean isOpeningBrace(Mark m) {
    int[] buffer = m.getBuffer();
    int p = m.getPointer();
    return buffer != null && p >= 0 && p < buffer.length && buffer[p] == '{';
  }
}
