package dev.slipway.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Text → SnakeYAML node tree (with positions), or a located error. SnakeYAML reports syntax problems
 * as several exception types, some without a position; every one becomes a {@link ModelError} with
 * a line, a column and a hint, so that nothing but {@link ModelException} leaves the loader.
 */
final class YamlComposer {
  /** A model is a few hundred lines; a megabyte means the wrong file, or an attack. */
  static final int MAX_CHARS = 1_000_000;
  /** Deeper than any model needs (about 9 levels); bounds SnakeYAML's recursive composer. */
  static final int MAX_DEPTH = 40;
  /** Aliases of maps and lists; with {@link TreeCheck}'s size limit this stops "billion laughs". */
  static final int MAX_COLLECTION_ALIASES = 50;

  private YamlComposer() {}

  /** The root node; {@code null} after reporting when the text is not one usable YAML document. */
  static Node compose(String text, Problems p) {
    if (text.length() > MAX_CHARS) {
      p.error(p.start(), "", "the file is too large (over " + MAX_CHARS + " characters)",
          "a model file is usually a few hundred lines; check that this is the right file");
      return null;
    }
    String yaml = text.startsWith("\uFEFF") ? text.substring(1) : text;
    Node root;
    try {
      root = composeRaw(yaml);
    } catch (MarkedYAMLException e) {
      reportSyntax(yaml, e, p);
      return null;
    } catch (ReaderException e) {
      p.error(locate(yaml, e.getPosition(), p), "",
          String.format("character U+%04X is not allowed in YAML", e.getCodePoint()),
          "remove it, or write it as an escape (`\\u…`) inside double quotes");
      return null;
    } catch (YAMLException e) {
      reportLimit(yaml, String.valueOf(e.getMessage()), p);
      return null;
    } catch (RuntimeException e) {
      // SnakeYAML's contract is YAMLException, but its code paths are many; a crash here must still
      // be a model error, never a stack trace.
      p.error(p.start(), "", "cannot parse YAML: " + Scalars.abbreviate(String.valueOf(e.getMessage())),
          "check the YAML syntax; please also report this message to the Slipway developers");
      return null;
    }
    if (Scalars.isNull(root)) {
      p.error(p.start(), "", "the model file is empty", "start with `name: my-app` and a `services:` map");
      return null;
    }
    return root;
  }

  private static Node composeRaw(String yaml) {
    return new Composer(new ParserImpl(new StreamReader(yaml), options()), new Resolver(), options()).getSingleNode();
  }

  static LoaderOptions options() {
    LoaderOptions o = new LoaderOptions();
    o.setAllowDuplicateKeys(true); // reported by TreeCheck, with both positions
    o.setMergeOnCompose(true); // `<<: *defaults` works as users expect
    o.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
    o.setNestingDepthLimit(MAX_DEPTH);
    o.setCodePointLimit(MAX_CHARS + 1);
    o.setAllowRecursiveKeys(false);
    o.setProcessComments(false);
    return o;
  }

  /**
   * Reports a syntax error. An unquoted {@code ${…}} inside {@code { }} or {@code [ ]} is the one
   * mistake the model's own syntax invites, and files often hold several; so each is reported, then
   * quoted in a scratch copy and the copy parsed again, until the copy parses or fails otherwise.
   */
  private static void reportSyntax(String yaml, MarkedYAMLException first, Problems p) {
    String text = yaml;
    MarkedYAMLException e = first;
    List<int[]> quotes = new ArrayList<>(); // {line, column} of each quote added to the copy
    List<Integer> added = new ArrayList<>(); // where each quote went in the copy, in increasing order
    for (int round = 0; e != null; round++) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int[] ref = round < 50 ? unquotedReference(text, e, mark) : null;
      if (ref == null) {
        String problem = String.valueOf(e.getProblem());
        String context = e.getContext() == null ? "" : e.getContext();
        p.error(original(p, mark, quotes), "", syntaxMessage(problem, context), syntaxHint(problem, context));
        return;
      }
      String value = text.substring(ref[0], ref[1]);
      String brackets = String.valueOf(e.getContext()).contains("sequence") ? "`[ ]`" : "`{ }`";
      SourceLocation at = original(p, mark, quotes);
      p.error(new SourceLocation(p.file(), at.line(), at.column() - 1), "",
          "`" + Scalars.abbreviate(value) + "` must be quoted inside " + brackets,
          "write `\"" + Scalars.abbreviate(value) + "\"`, or put the " + (brackets.contains("[") ? "items" : "entries")
              + " on their own indented lines", quoteFix(yaml, original(ref[0], added), original(ref[1], added), value));
      quotes.add(new int[] {mark.getLine(), mark.getColumn() - 1});
      quotes.add(new int[] {mark.getLine(), mark.getColumn() + value.length()});
      added.add(ref[0]);
      added.add(ref[1] + 1);
      text = text.substring(0, ref[0]) + '"' + value + '"' + text.substring(ref[1]);
      try {
        composeRaw(text);
        e = null;
      } catch (MarkedYAMLException next) {
        Mark m = next.getProblemMark() != null ? next.getProblemMark() : next.getContextMark();
        // the copy must fail further on, or we would report the same place forever
        e = m != null && m.getIndex() > mark.getIndex() ? next : null;
      } catch (RuntimeException other) {
        e = null; // the first error is reported; the scratch copy owes nothing more
      }
    }
  }

  /** An index in the scratch copy as an index in the user's text: the quotes added before it discounted. */
  private static int original(int index, List<Integer> added) {
    int before = 0;
    for (int q : added) {
      if (q < index) {
        before++;
      }
    }
    return index - before;
  }

  /** Quotes {@code value}, which spans {@code from} to {@code to} (char indexes) in {@code yaml}. */
  private static ModelFix quoteFix(String yaml, int from, int to, String value) {
    if (value.contains("\"") || value.contains("\\") || from < 0 || to > yaml.length()) {
      return null;
    }
    return ModelFix.of(ModelFix.Kind.QUOTE_REFERENCE, new ModelFix.Edit(yaml.codePointCount(0, from),
        yaml.codePointCount(0, to), '"' + value + '"'));
  }

  /**
   * {@code {start, end}} of an unquoted {@code ${…}} whose {@code {} the flow parser choked on, or
   * {@code null}. YAML forbids {@code {} inside an unquoted value in flow style, so the parser sees a
   * new map starting mid-value.
   */
  private static int[] unquotedReference(String text, MarkedYAMLException e, Mark mark) {
    int at = mark == null ? -1 : index(text, mark.getIndex());
    if (at <= 0 || at >= text.length() || text.charAt(at) != '{' || text.charAt(at - 1) != '$'
        || !String.valueOf(e.getContext()).contains("flow")) {
      return null;
    }
    // only a value that starts with `${`: quotes added mid-value (`a${x}`) would be plain text
    if (at >= 2 && " \t{[,:".indexOf(text.charAt(at - 2)) < 0) {
      return null;
    }
    int end = text.indexOf('}', at);
    int eol = text.indexOf('\n', at);
    return end < 0 || (eol >= 0 && eol < end) ? null : new int[] {at - 1, end + 1};
  }

  /** A mark in the scratch copy mapped back to the user's text, by discounting added quotes. */
  private static SourceLocation original(Problems p, Mark mark, List<int[]> quotes) {
    if (mark == null) {
      return p.start();
    }
    int column = mark.getColumn();
    for (int[] q : quotes) {
      if (q[0] == mark.getLine() && q[1] < mark.getColumn()) {
        column--;
      }
    }
    return new SourceLocation(p.file(), mark.getLine() + 1, column + 1);
  }

  private static String syntaxMessage(String problem, String context) {
    if (problem.contains("TAB")) {
      return "invalid YAML: a tab where YAML expects spaces";
    }
    if (problem.contains("another document") || context.contains("single document")) {
      return "the file holds more than one YAML document";
    }
    String p = problem.replaceAll(" \\(Do not use .* for indentation\\)", "").strip();
    p = (p.endsWith(".") ? p.substring(0, p.length() - 1) : p).replace("' that cannot start any token", "' here");
    return "invalid YAML: " + (p.length() > 120 ? p.substring(0, 117) + "..." : p);
  }

  private static String syntaxHint(String problem, String context) {
    if (problem.contains("TAB") || problem.contains("\\t")) {
      return "indent with spaces, not tabs";
    }
    if (problem.contains("mapping values are not allowed")) {
      return "quote the value if it contains `: `, or put a nested map on its own indented lines";
    }
    if (problem.contains("could not find expected ':'")) {
      return "add `: ` after the key, or quote the text";
    }
    if (problem.contains("<block end>")) {
      return "check the indentation: the keys of one map must start in the same column";
    }
    if (problem.contains("end of stream") && context.contains("quoted")) {
      return "close the quote";
    }
    if (context.contains("flow") && (problem.endsWith("got {") || problem.endsWith("got ["))) {
      return "inside `{ }` or `[ ]`, quote values that contain `{`, `}`, `[`, `]` or `,`";
    }
    if (problem.contains("',' or ']'")) {
      return "close the list with `]`, and separate items with `,`";
    }
    if (problem.contains("',' or '}'")) {
      return "close the map with `}`, and separate entries with `,`";
    }
    if (problem.contains("undefined alias")) {
      return "define the anchor (`&name`) before the alias (`*name`)";
    }
    if (problem.contains("Expected mapping node")) {
      return "`<<` takes a map or a list of maps, e.g. `<<: *defaults`";
    }
    if (problem.contains("another document") || context.contains("single document")) {
      return "remove the `---` line and what follows, or move it to a file of its own";
    }
    if (problem.contains("escape")) {
      return "write `\\\\` for a backslash, or use single quotes";
    }
    if (problem.contains("cannot start any token")) {
      return "quote the value";
    }
    if (problem.contains("tag")) {
      return "remove the tag (`!…`); the model needs none";
    }
    return "check the YAML syntax at this position";
  }

  /**
   * SnakeYAML reports its depth and alias limits without a position. Replay the events (cheap, and
   * only on this error path) to find where the limit was crossed.
   */
  private static void reportLimit(String yaml, String message, Problems p) {
    boolean depth = message.contains("Nesting Depth");
    boolean aliases = message.contains("aliases");
    Mark where = depth || aliases ? findLimit(yaml, depth) : null;
    if (depth) {
      p.error(p.at(where), "", "too deeply nested (more than " + MAX_DEPTH + " levels)",
          "a model needs fewer than 10 levels; check for unclosed `[` or `{`");
    } else if (aliases) {
      p.error(p.at(where), "", "too many aliases (more than " + MAX_COLLECTION_ALIASES
          + " `*name` references to maps or lists)", "write the values out instead of aliasing them");
    } else if (message.contains("code points")) {
      p.error(p.start(), "", "the file is too large (over " + MAX_CHARS + " characters)",
          "a model file is usually a few hundred lines; check that this is the right file");
    } else {
      p.error(p.start(), "", "invalid YAML: " + Scalars.abbreviate(message), "check the YAML syntax");
    }
  }

  private static Mark findLimit(String yaml, boolean depthLimit) {
    try {
      ParserImpl parser = new ParserImpl(new StreamReader(yaml), options());
      Set<String> collections = new HashSet<>();
      int depth = 0;
      int aliases = 0;
      while (parser.peekEvent() != null) {
        Event e = parser.getEvent();
        if (e instanceof CollectionStartEvent c) {
          if (c.getAnchor() != null) {
            collections.add(c.getAnchor());
          }
          if (depthLimit && ++depth > MAX_DEPTH) {
            return e.getStartMark();
          }
        } else if (e.is(Event.ID.MappingEnd) || e.is(Event.ID.SequenceEnd)) {
          depth--;
        } else if (e instanceof AliasEvent a && !depthLimit && collections.contains(a.getAnchor())
            && ++aliases > MAX_COLLECTION_ALIASES) {
          return e.getStartMark();
        } else if (e.is(Event.ID.StreamEnd)) {
          return null;
        }
      }
    } catch (RuntimeException e) {
      // the position is a nicety; the error is reported either way
    }
    return null;
  }

  /** The char index in {@code s} of the code point at {@code codePoints}, or -1. */
  private static int index(String s, int codePoints) {
    try {
      return s.offsetByCodePoints(0, codePoints);
    } catch (IndexOutOfBoundsException e) {
      return -1;
    }
  }

  private static SourceLocation locate(String s, int codePoints, Problems p) {
    int end = index(s, Math.max(0, codePoints));
    if (end < 0) {
      return p.start();
    }
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < end; i++) {
      if (s.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new SourceLocation(p.file(), line, s.codePointCount(lineStart, end) + 1);
  }
}
