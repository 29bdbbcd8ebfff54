package dev.slipway.analysis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A parser for the Prometheus text exposition format (0.0.4, and the sample lines of OpenMetrics):
 * {@code name{label="value",…} value [timestamp]}. Comments, {@code # HELP}/{@code # TYPE} lines,
 * blank lines and every metric not {@code wanted} are skipped without being parsed further, so
 * whatever else an endpoint exposes cannot break the analysis; a wanted line that does not parse is
 * an error naming the line.
 */
final class PrometheusText {
  private static final Pattern FLOAT = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
  private static final Pattern TIMESTAMP = Pattern.compile("-?\\d+(\\.\\d+)?");

  /** One sample line. */
  record Series(String name, Map<String, String> labels, double value) {}

  private PrometheusText() {}

  static List<Series> parse(String text, Predicate<String> wanted, String source) throws AnalysisException {
    List<Series> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      TextCursor c = new TextCursor(line);
      c.spaces();
      if (c.end() || c.peek() == '#') {
        continue;
      }
      String name = c.name();
      if (name.isEmpty() || !wanted.test(name)) {
        continue;
      }
      try {
        out.add(series(c, name));
      } catch (IllegalArgumentException e) {
        throw new AnalysisException(source, "malformed metrics line " + (i + 1) + " (" + e.getMessage() + "): "
            + abbreviate(line), "check what the endpoint serves; it should be Prometheus text format");
      }
    }
    return out;
  }

  private static Series series(TextCursor c, String name) {
    Map<String, String> labels = new LinkedHashMap<>();
    boolean spaced = c.spaces();
    if (!c.end() && c.peek() == '{') {
      c.next();
      c.spaces();
      while (!c.end() && c.peek() != '}') {
        String label = c.name();
        if (label.isEmpty()) {
          throw new IllegalArgumentException("expected a label name at column " + c.column());
        }
        c.spaces();
        c.expect('=');
        c.spaces();
        c.expect('"');
        if (labels.put(label, c.quoted()) != null) {
          throw new IllegalArgumentException("label `" + label + "` given twice");
        }
        c.spaces();
        if (!c.end() && c.peek() == ',') {
          c.next();
          c.spaces();
        } else if (c.end() || c.peek() != '}') {
          throw new IllegalArgumentException("expected `,` or `}` at column " + c.column());
        }
      }
      c.expect('}');
      spaced = c.spaces();
    }
    if (!spaced || c.end()) {
      throw new IllegalArgumentException("expected a space before the value");
    }
    double value = number(c.token());
    c.spaces();
    if (!c.end() && c.peek() != '#') { // after the value: a timestamp, then perhaps an exemplar (`# {…} 1`)
      String ts = c.token();
      if (!TIMESTAMP.matcher(ts).matches()) {
        throw new IllegalArgumentException("unexpected `" + abbreviate(ts) + "` after the value");
      }
      c.spaces();
      if (!c.end() && c.peek() != '#') {
        throw new IllegalArgumentException("unexpected text after the timestamp");
      }
    }
    return new Series(name, Collections.unmodifiableMap(labels), value);
  }

  /** Go's float syntax as Prometheus writes it, including NaN and ±Inf. */
  static double number(String s) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "nan":
        return Double.NaN;
      case "+inf", "inf", "+infinity", "infinity":
        return Double.POSITIVE_INFINITY;
      case "-inf", "-infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        if (!FLOAT.matcher(s).matches()) {
          throw new IllegalArgumentException(s.isEmpty() ? "no value" : "`" + abbreviate(s) + "` is not a number");
        }
        return Double.parseDouble(s);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
