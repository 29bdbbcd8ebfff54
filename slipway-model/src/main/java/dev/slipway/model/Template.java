package dev.slipway.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A model string that may hold {@link Reference}s: {@code ${resources.db.url}}, {@code ${self.port}}.
 * Anything of the form {@code ${word.…}} is a reference (shell variable names cannot hold a dot), so
 * a misspelt namespace is an error instead of an empty shell expansion. Any other {@code ${…}}
 * ({@code ${PORT}}, {@code ${HOME:-/tmp}}) is a shell expansion, kept as written: the loader allows it
 * only in commands a shell runs ({@code run}, {@code build.command}) — see {@link #shellExpansions}.
 * {@code $${} is a literal {@code ${}.
 *
 * @param raw   the string as written
 * @param parts literal text and references, in order
 */
public record Template(String raw, List<Part> parts) {

  public Template {
    parts = List.copyOf(parts);
  }

  /** A piece of a template. */
  public sealed interface Part {}

  /** Text copied as is. */
  public record Literal(String text) implements Part {}

  /** A reference replaced by its resolved value. */
  public record Ref(Reference reference) implements Part {}

  /** A template without references. */
  public static Template literal(String text) {
    return new Template(text, text.isEmpty() ? List.of() : List.of(new Literal(text)));
  }

  /**
   * Parses {@code raw}.
   *
   * @throws TemplateSyntaxException when a reference is malformed; its offset points into {@code raw}
   */
  public static Template parse(String raw) {
    List<Part> parts = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int i = 0;
    while (i < raw.length()) {
      if (raw.startsWith("$${", i)) {
        text.append("${");
        i += 3;
        continue;
      }
      if (raw.startsWith("${", i) && looksLikeReference(raw, i + 2)) {
        int end = raw.indexOf('}', i + 2);
        if (end < 0) {
          throw new TemplateSyntaxException(i, "reference `" + raw.substring(i) + "` is not closed",
              "add the closing `}`");
        }
        Reference ref = reference(raw.substring(i + 2, end), i);
        if (!text.isEmpty()) {
          parts.add(new Literal(text.toString()));
          text.setLength(0);
        }
        parts.add(new Ref(ref));
        i = end + 1;
        continue;
      }
      text.append(raw.charAt(i));
      i++;
    }
    if (!text.isEmpty()) {
      parts.add(new Literal(text.toString()));
    }
    return new Template(raw, parts);
  }

  /**
   * The offset of each reference's {@code $} in {@code raw}, in the order of {@link #references()};
   * lets a loader point at the exact column of a reference it rejects. Scans exactly like
   * {@link #parse}; for a string {@code parse} rejects, the result is unspecified.
   */
  static List<Integer> referenceOffsets(String raw) {
    List<Integer> offsets = new ArrayList<>();
    int i = 0;
    while (i < raw.length()) {
      if (raw.startsWith("$${", i)) {
        i += 3;
      } else if (raw.startsWith("${", i) && looksLikeReference(raw, i + 2) && raw.indexOf('}', i + 2) >= 0) {
        offsets.add(i);
        i = raw.indexOf('}', i + 2) + 1;
      } else {
        i++;
      }
    }
    return offsets;
  }

  private static boolean looksLikeReference(String raw, int from) {
    int i = from;
    if (i >= raw.length() || !(Character.isLetter(raw.charAt(i)) || raw.charAt(i) == '_')) {
      return false;
    }
    while (i < raw.length() && (Character.isLetterOrDigit(raw.charAt(i)) || raw.charAt(i) == '_')) {
      i++;
    }
    return i < raw.length() && raw.charAt(i) == '.';
  }

  private static Reference reference(String body, int offset) {
    String[] pieces = body.split("\\.", -1);
    Reference.Kind kind = Reference.Kind.byKey(pieces[0]);
    if (kind == null) {
      String suggestion = Suggest.closest(pieces[0], Reference.Kind.keys());
      throw new TemplateSyntaxException(offset, "unknown reference namespace `" + pieces[0] + "` in `${"
          + body + "}`", suggestion != null ? "did you mean `" + suggestion + "`?"
          : "references start with `resources.`, `services.`, `secrets.` or `self.`",
          suggestion == null ? null : new Correction(ModelFix.Kind.REFERENCE_NAMESPACE, offset + 2, pieces[0].length(),
              suggestion));
    }
    String example = switch (kind) {
      case RESOURCES -> "${resources.NAME.jdbcUrl}";
      case SERVICES -> "${services.NAME.url}";
      case SECRETS -> "${secrets.NAME}";
      case SELF -> "${self.port}";
    };
    boolean named = kind != Reference.Kind.SELF;
    boolean wantsAttribute = !kind.attributes().isEmpty();
    int expected = (named ? 2 : 1) + (wantsAttribute ? 1 : 0);
    if (pieces.length != expected || pieces[1].isEmpty() || (pieces.length > 2 && pieces[2].isEmpty())) {
      throw new TemplateSyntaxException(offset, "malformed reference `${" + body + "}`",
          "write it as `" + example + "`" + (wantsAttribute && named ? " where the attribute is one of "
              + String.join(", ", kind.attributes()) : ""), null);
    }
    String attribute = wantsAttribute ? pieces[expected - 1] : null;
    if (wantsAttribute && !kind.attributes().contains(attribute)) {
      String suggestion = Suggest.closest(attribute, kind.attributes());
      throw new TemplateSyntaxException(offset, "unknown attribute `" + attribute + "` in `${" + body + "}`",
          (suggestion != null ? "did you mean `" + suggestion + "`? " : "")
              + kind.key() + " offer" + (kind.attributes().size() == 1 ? "s " : " ") + String.join(", ", kind.attributes()),
          suggestion == null ? null : new Correction(ModelFix.Kind.REFERENCE_ATTRIBUTE,
              offset + 2 + body.length() - attribute.length(), attribute.length(), suggestion));
    }
    return new Reference(kind, named ? pieces[1] : null, attribute);
  }

  /**
   * Where {@code raw} holds a {@code ${…}} that is not a reference (a shell expansion such as
   * {@code ${PORT}}): {@code {start, end}} of each, end exclusive; an unclosed one runs to the end.
   * Braces nest, as in {@code ${A:-${B}}}. Scans like {@link #parse}; for a string {@code parse}
   * rejects, the result is unspecified.
   */
  static List<int[]> shellExpansions(String raw) {
    List<int[]> spans = new ArrayList<>();
    int i = 0;
    while (i < raw.length()) {
      if (raw.startsWith("$${", i)) {
        i += 3;
      } else if (raw.startsWith("${", i) && looksLikeReference(raw, i + 2)) {
        int end = raw.indexOf('}', i + 2);
        i = end < 0 ? raw.length() : end + 1;
      } else if (raw.startsWith("${", i)) {
        int depth = 1;
        int j = i + 2;
        while (j < raw.length() && depth > 0) {
          char c = raw.charAt(j++);
          depth += c == '{' ? 1 : c == '}' ? -1 : 0;
        }
        spans.add(new int[] {i, j});
        i = j;
      } else {
        i++;
      }
    }
    return spans;
  }

  /** The references in order of appearance. */
  public List<Reference> references() {
    List<Reference> refs = new ArrayList<>();
    for (Part p : parts) {
      if (p instanceof Ref r) {
        refs.add(r.reference());
      }
    }
    return refs;
  }

  /** Whether any reference in this template yields a sensitive value. */
  public boolean sensitive() {
    return references().stream().anyMatch(Reference::sensitive);
  }

  /** Renders the template, asking {@code resolver} for each reference's value. */
  public String render(Function<Reference, String> resolver) {
    StringBuilder out = new StringBuilder();
    for (Part p : parts) {
      switch (p) {
        case Literal l -> out.append(l.text());
        case Ref r -> out.append(resolver.apply(r.reference()));
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return raw;
  }

  /** A replacement of {@code length} characters at {@code offset} of the raw string, as a hint suggests. */
  record Correction(ModelFix.Kind kind, int offset, int length, String text) {}

  /** A malformed reference; {@code offset} is the index of its {@code $} in the raw string. */
  public static final class TemplateSyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int offset;
    private final String hint;
    private final transient Correction correction;

    public TemplateSyntaxException(int offset, String message, String hint) {
      this(offset, message, hint, null);
    }

    TemplateSyntaxException(int offset, String message, String hint, Correction correction) {
      super(message);
      this.offset = offset;
      this.hint = hint;
      this.correction = correction;
    }

    /** The edit the hint names, or {@code null} when the hint is advice only. */
    Correction correction() {
      return correction;
    }

    public int offset() {
      return offset;
    }

    public String hint() {
      return hint;
    }
  }
}
