package dev.slipway.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * {@code analysis: { queries: [ … ] }}: custom PromQL checks of a canary analysis step, and the rule
 * that they need a {@code prometheus} resource to run against.
 */
final class AnalysisQueries {
  /** Names appear in one-line verdicts and as JSON keys in history: one word, no spaces. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
  private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
  private static final String SHAPE =
      "write `- { name: db-errors, query: \"sum(rate(db_errors_total[{{window}}]))\", max: 0.5 }`";

  private AnalysisQueries() {}

  /** The step's queries (empty when none are written); {@code null} after reporting a problem. */
  static List<MetricQuery> bind(Binding b, YamlMap analysis) {
    Node node = analysis.get("queries");
    List<MetricQuery> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    Problems p = b.problems;
    String path = analysis.path("queries");
    if (!(node instanceof SequenceNode seq)) {
      p.error(node, path, "expected a list, found " + Scalars.describe(node), SHAPE);
      return null;
    }
    if (!seq.getValue().isEmpty()) {
      b.querySites.add(new Binding.QuerySite(analysis.keyNode("queries"), path));
    }
    boolean ok = true;
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      String itemPath = YamlMap.item(path, i);
      Node item = seq.getValue().get(i);
      p.record(itemPath, p.at(item));
      YamlMap q = YamlMap.of(p, item, itemPath, null, ModelKeys.METRIC_QUERY, SHAPE);
      // a misspelt key was reported with a did-you-mean; "sets no bound" would repeat it
      boolean misspelt = q != null && ((MappingNode) item).getValue().size() > q.keys().size();
      MetricQuery query = q == null ? null : query(b, q, i, names, misspelt);
      ok &= query != null;
      out.add(query);
    }
    return ok ? out : null;
  }

  private static MetricQuery query(Binding b, YamlMap q, int index, Map<String, Integer> names, boolean misspelt) {
    Problems p = b.problems;
    Node nameNode = q.require("name", "add `name:`; it names the value in verdicts and history, e.g. `name: db-errors`");
    String name = nameNode == null ? null : Scalars.string(p, nameNode, q.path("name"));
    if (name != null && !NAME.matcher(name).matches()) {
      p.error(nameNode, q.path("name"), "invalid query name `" + Scalars.abbreviate(name) + "`",
          "use letters, digits, `-`, `_` and `.`, at most 63 characters, e.g. `db-errors`");
      name = null;
    } else if (name != null && names.putIfAbsent(name, index) != null) {
      p.error(nameNode, q.path("name"), "duplicate query `" + name + "`",
          "rename it; `" + name + "` is already used by queries[" + names.get(name) + "]");
      name = null;
    }
    Node queryNode = q.require("query", "add `query:` with a PromQL expression that yields one number, e.g. "
        + "`query: \"sum(rate(db_errors_total[{{window}}]))\"`");
    String text = queryNode == null ? null : Scalars.string(p, queryNode, q.path("query"));
    if (text != null && text.isBlank()) {
      p.error(queryNode, q.path("query"), "the query is empty", "write a PromQL expression that yields one number");
      text = null;
    }
    boolean placeholdersOk = text == null || placeholders(p, (ScalarNode) queryNode, q.path("query"), text);
    Double max = number(p, q, "max");
    Double min = number(p, q, "min");
    boolean bounded = q.get("max") != null || q.get("min") != null;
    if (!bounded && !misspelt) {
      String which = nameNode instanceof ScalarNode s && !Scalars.isNull(s)
          ? "query `" + Scalars.abbreviate(s.getValue()) + "`" : "the query";
      p.error(q.owner(), q.path(), which + " sets no bound", "add `max:` (fails above it) or `min:` (fails below it)");
    }
    if (max != null && min != null && min > max) {
      p.error(q.get("min"), q.path("min"), "`min` " + q.string("min").strip() + " is above `max` "
          + q.string("max").strip() + ", so no value could pass", "swap them, or remove one");
      return null;
    }
    boolean broken = (q.get("max") != null && max == null) || (q.get("min") != null && min == null);
    return name == null || text == null || !placeholdersOk || !bounded || broken ? null
        : new MetricQuery(name, text, max, min);
  }

  /** Reports every {@code {{word}}} that is not a known placeholder, at its column. */
  private static boolean placeholders(Problems p, ScalarNode node, String path, String text) {
    boolean ok = true;
    Matcher m = MetricQuery.PLACEHOLDER.matcher(text);
    while (m.find()) {
      if (!MetricQuery.PLACEHOLDERS.contains(m.group(1))) {
        String close = Suggest.closest(m.group(1), MetricQuery.PLACEHOLDERS);
        p.error(p.inScalar(node, m.start()), path, "unknown placeholder `" + Scalars.abbreviate(m.group()) + "`",
            close != null ? "did you mean `{{" + close + "}}`?"
                : "use `{{service}}`, `{{canary}}`, `{{stable}}` or `{{window}}`",
            close == null ? null : Fixes.replaceInScalar(ModelFix.Kind.PLACEHOLDER, node, m.start(),
                m.end() - m.start(), "{{" + close + "}}"));
        ok = false;
      }
    }
    return ok;
  }

  private static Double number(Problems p, YamlMap q, String key) {
    Node n = q.get(key);
    if (n == null) {
      return null;
    }
    String hint = "write the number the query's value is compared with, e.g. `0.5`";
    if (!(n instanceof ScalarNode s)) {
      p.error(n, q.path(key), "expected a number, found " + Scalars.describe(n), hint);
      return null;
    }
    String t = s.getValue().strip();
    boolean numeric = t.length() <= 30 && NUMBER.matcher(t).matches();
    if (numeric && Scalars.isQuoted(s)) {
      p.error(n, q.path(key), "expected a number, found " + Scalars.describe(n), "remove the quotes",
          Fixes.replace(ModelFix.Kind.UNQUOTE_NUMBER, n, t));
      return null;
    }
    double v = numeric ? Double.parseDouble(t) : Double.NaN;
    if (!Double.isFinite(v)) {
      String fraction = t.endsWith("%") ? percentAsFraction(t) : null;
      p.error(n, q.path(key), "expected a number, found " + Scalars.describe(n), fraction != null
          ? "a query yields a plain number; write `" + fraction + "` for " + t : hint,
          fraction == null ? null : Fixes.replace(ModelFix.Kind.QUERY_PERCENT, n, fraction));
      return null;
    }
    return v;
  }

  /** {@code 2.5%} → {@code 0.025}; {@code null} when the part before {@code %} is not a number. */
  private static String percentAsFraction(String t) {
    String number = t.substring(0, t.length() - 1).strip();
    return NUMBER.matcher(number).matches() && number.length() <= 30
        ? new java.math.BigDecimal(number).movePointLeft(2).stripTrailingZeros().toPlainString() : null;
  }

  /**
   * After binding: queries anywhere need a prometheus resource somewhere in the model, or the environment's
   * own Prometheus ({@code clusterPrometheus}: a Kubernetes environment's {@code prometheus:}).
   */
  static void checkPrometheus(Binding b, boolean clusterPrometheus) {
    if (clusterPrometheus || b.resourceTypes.containsValue(BackingServiceType.PROMETHEUS)) {
      return;
    }
    String name = java.util.stream.Stream.of("metrics", "prometheus", "prom")
        .filter(n -> !b.serviceKeys.containsKey(n) && !b.resourceKeys.containsKey(n)).findFirst().orElse(null);
    ModelFix fix = name == null ? null : b.resourcesNode != null
        ? Fixes.insertEntry(ModelFix.Kind.PROMETHEUS, b.resourcesNode, name + ": { type: prometheus }")
        : b.root.has("resources") ? null
            : Fixes.insertEntry(ModelFix.Kind.PROMETHEUS, b.root.node(), "resources: { " + name + ": { type: prometheus } }");
    for (Binding.QuerySite site : b.querySites) {
      b.problems.error(site.key(), site.path(), "analysis queries need a `prometheus` resource",
          "add one under `resources:`, e.g. `" + (name == null ? "metrics" : name) + ": { type: prometheus }`, "
              + "or remove `queries:`", fix);
    }
  }
}
