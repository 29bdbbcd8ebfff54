package dev.slipway.model;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A custom check of a canary analysis: a PromQL instant query that yields one number, and the range
 * that number must stay in. Written as {@code queries: [ { name: db-errors, query: "…", max: 0.5 } ]}.
 *
 * <p>Before the query is sent, {@code {{service}}}, {@code {{canary}}}, {@code {{stable}}} (the two
 * version names) and {@code {{window}}} (the analysis window so far, e.g. {@code 30s}) are
 * substituted; see {@link #expand(Map)}.
 *
 * @param name  unique within its analysis step; names the value in verdicts and history
 * @param query the PromQL text as written, placeholders unexpanded
 * @param max   the highest passing value, or {@code null}; at least one of max and min is set
 * @param min   the lowest passing value, or {@code null}
 */
public record MetricQuery(String name, String query, Double max, Double min) {
  /** The placeholders a query may hold, without braces. */
  public static final List<String> PLACEHOLDERS = List.of("service", "canary", "stable", "window");
  /** {@code {{word}}}, spaces inside the braces allowed. */
  static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");

  /**
   * The query with every placeholder replaced by its value from {@code values} (keyed by
   * placeholder name); a placeholder without a value is left as written.
   */
  public String expand(Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(query);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Whether {@code value} is within the bounds; NaN never is. */
  public boolean accepts(double value) {
    return !Double.isNaN(value) && (max == null || value <= max) && (min == null || value >= min);
  }
}
