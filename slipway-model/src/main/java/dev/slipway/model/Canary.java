package dev.slipway.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** {@code canary: { steps: [...] }}: each step is a map with exactly one key. */
final class Canary {
  private static final String STEP_SHAPE = "write each step as `- setWeight: 10`, `- pause: 5m` or `- analysis: { … }`";

  private Canary() {}

  static StrategySpec bind(Binding b, YamlMap canary, YamlMap strategy, String kind) {
    Problems p = b.problems;
    String stepsHint = "add `steps:`, e.g. `steps: [ { setWeight: 10 }, { pause: 5m } ]`";
    if (canary == null) {
      p.error(strategy.keyLocation(kind), strategy.path(kind), "missing required key `steps`", stepsHint);
      return null;
    }
    Node node = canary.require("steps", stepsHint);
    if (node == null) {
      return null;
    }
    String path = canary.path("steps");
    if (!(node instanceof SequenceNode seq)) {
      p.error(node, path, "expected a list, found " + Scalars.describe(node), STEP_SHAPE);
      return null;
    }
    if (seq.getValue().isEmpty()) {
      p.error(node, path, "a canary needs at least one step", "add e.g. `- setWeight: 10` and `- pause: 5m`");
      return null;
    }
    List<CanaryStep> steps = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < seq.getValue().size(); i++) {
      p.record(YamlMap.item(path, i), p.at(seq.getValue().get(i)));
      CanaryStep step = step(b, seq.getValue().get(i), YamlMap.item(path, i));
      ok &= step != null;
      steps.add(step);
    }
    return ok ? new StrategySpec.Canary(steps) : null;
  }

  private static CanaryStep step(Binding b, Node node, String path) {
    Problems p = b.problems;
    YamlMap step = YamlMap.of(p, node, path, null, ModelKeys.CANARY_STEP, STEP_SHAPE);
    if (step == null) {
      return null;
    }
    int written = ((MappingNode) node).getValue().size();
    if (written != 1) {
      p.error(node, path, written == 0 ? "empty step" : "a step has exactly one key, found " + written
          + " (`" + String.join("`, `", keys((MappingNode) node)) + "`)", STEP_SHAPE);
      return null;
    }
    if (step.keys().isEmpty()) {
      return null; // its one key is unknown: reported with a did-you-mean
    }
    String kind = step.keys().iterator().next();
    return switch (kind) {
      case "setWeight" -> {
        Node v = step.require("setWeight", "write the share of traffic for the canary, e.g. `setWeight: 10`");
        Integer w = v == null ? null : Scalars.integer(p, v, step.path(kind), 0, 100,
            "write the share of traffic for the canary, from 0 to 100");
        yield w == null ? null : new CanaryStep.SetWeight(w);
      }
      case "pause" -> pause(b, step);
      default -> analysis(b, step);
    };
  }

  /** {@code pause: 30s}, {@code pause: { duration: 30s }}, or until promoted: {@code pause: {}} / {@code pause:}. */
  private static CanaryStep pause(Binding b, YamlMap step) {
    Node v = step.get("pause");
    if (v == null) {
      return new CanaryStep.Pause(null);
    }
    if (v instanceof ScalarNode) {
      Duration d = Scalars.duration(b.problems, v, step.path("pause"), false);
      return d == null ? null : new CanaryStep.Pause(d);
    }
    YamlMap m = YamlMap.of(b.problems, v, step.path("pause"), step.keyLocation("pause"), ModelKeys.PAUSE,
        "write `pause: 30s`, or `pause: {}` to wait until promoted");
    if (m == null || (m.keys().isEmpty() && !((MappingNode) v).getValue().isEmpty())) {
      return null;
    }
    if (m.get("duration") == null) {
      return new CanaryStep.Pause(null);
    }
    Duration d = m.duration("duration", false);
    return d == null ? null : new CanaryStep.Pause(d);
  }

  private static CanaryStep analysis(Binding b, YamlMap step) {
    String limits = "add at least one of `maxErrorRate: 1%`, `maxLatencyP95: 300ms`, `maxLatencyP99: 500ms`";
    Node v = step.get("analysis");
    if (v == null) {
      b.problems.error(step.keyNode("analysis"), step.path("analysis"), "`analysis` sets no limit", limits);
      return null;
    }
    YamlMap a = YamlMap.of(b.problems, v, step.path("analysis"), step.keyLocation("analysis"), ModelKeys.ANALYSIS,
        "write e.g. `analysis: { maxErrorRate: 1%, maxLatencyP99: 500ms }`");
    if (a == null) {
      return null;
    }
    Double rate = rate(b.problems, a);
    Duration p95 = a.duration("maxLatencyP95", true);
    Duration p99 = a.duration("maxLatencyP99", true);
    Integer min = a.integer("minRequests", 1, Integer.MAX_VALUE, "write the fewest requests for a verdict, e.g. `100`");
    Duration timeout = a.duration("timeout", true);
    List<MetricQuery> queries = AnalysisQueries.bind(b, a);
    boolean misspelt = ((MappingNode) v).getValue().size() > a.keys().size(); // reported with a did-you-mean
    boolean hasQueries = a.get("queries") != null && (queries == null || !queries.isEmpty());
    if (a.get("maxErrorRate") == null && a.get("maxLatencyP95") == null && a.get("maxLatencyP99") == null
        && !hasQueries) {
      if (!misspelt) {
        b.problems.error(a.owner(), a.path(), "`analysis` sets no limit", limits);
      }
      return null;
    }
    boolean broken = (a.get("maxErrorRate") != null && rate == null) || (a.get("maxLatencyP95") != null && p95 == null)
        || (a.get("maxLatencyP99") != null && p99 == null) || (a.get("minRequests") != null && min == null)
        || (a.get("timeout") != null && timeout == null) || queries == null;
    return broken ? null : new CanaryStep.Analysis(rate, p95, p99,
        min != null ? min : CanaryStep.Analysis.DEFAULT_MIN_REQUESTS,
        timeout != null ? timeout : CanaryStep.Analysis.DEFAULT_TIMEOUT, queries);
  }

  private static Double rate(Problems p, YamlMap a) {
    String text = a.string("maxErrorRate");
    if (text == null) {
      return null;
    }
    try {
      return Quantities.rate(text);
    } catch (ValueException e) {
      p.error(a.get("maxErrorRate"), a.path("maxErrorRate"), e);
      return null;
    }
  }

  private static List<String> keys(MappingNode m) {
    return m.getValue().stream().map(t -> t.getKeyNode() instanceof ScalarNode s ? Scalars.abbreviate(s.getValue()) : "?").toList();
  }
}
