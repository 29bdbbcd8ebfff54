package dev.slipway.model;

import static dev.slipway.model.Models.error;
import static dev.slipway.model.Models.errors;
import static dev.slipway.model.Models.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Custom PromQL checks in a canary analysis step: {@code analysis: { queries: [ … ] }}. */
class ModelLoaderQueryTest {
  private static final String PROMETHEUS = "resources:\n  metrics: { type: prometheus }\n";

  /** A model whose service `api` has one analysis step with {@code analysis} as its flow-map body. */
  private static String withAnalysis(String analysis, String resources) {
    return "name: shop\nservices:\n  api:\n    run: x\n    strategy:\n      canary:\n        steps:\n"
        + "          - analysis: " + analysis + "\n" + resources;
  }

  private static String withQueries(String queries) {
    return withAnalysis("{ maxErrorRate: 1%, queries: " + queries + " }", PROMETHEUS);
  }

  private static CanaryStep.Analysis analysis(String yaml) {
    StrategySpec.Canary c = (StrategySpec.Canary) parse(yaml).service("api").strategy();
    return (CanaryStep.Analysis) c.steps().get(0);
  }

  @Test
  void load_whenAnalysisHasQueries_bindsThemInOrder() {
    CanaryStep.Analysis a = analysis("""
        name: shop
        services:
          api:
            run: x
            strategy:
              canary:
                steps:
                  - analysis:
                      maxErrorRate: 1%
                      queries:
                        - name: db-errors
                          query: sum(rate(db_errors_total{service="{{service}}"}[{{window}}]))
                          max: 0.5
                        - { name: cache_hit.ratio, query: "avg(cache_hit_ratio)", min: 0.9, max: 1 }
        resources:
          metrics: { type: prometheus }
        """);

    assertThat(a).isEqualTo(new CanaryStep.Analysis(0.01, null, null, 100, Duration.ofMinutes(5), List.of(
        new MetricQuery("db-errors", "sum(rate(db_errors_total{service=\"{{service}}\"}[{{window}}]))", 0.5, null),
        new MetricQuery("cache_hit.ratio", "avg(cache_hit_ratio)", 1.0, 0.9))));
  }

  @Test
  void load_whenQueriesAreTheOnlyCheck_acceptsTheStep() {
    CanaryStep.Analysis a = analysis(withAnalysis("{ queries: [ { name: q, query: up, min: 1 } ] }", PROMETHEUS));

    assertThat(a.maxErrorRate()).isNull();
    assertThat(a.queries()).containsExactly(new MetricQuery("q", "up", null, 1.0));
  }

  @Test
  void load_whenNoQueriesWritten_hasAnEmptyList() {
    assertThat(analysis(withAnalysis("{ maxErrorRate: 1% }", "")).queries()).isEmpty();
    assertThat(analysis(withAnalysis("{ maxErrorRate: 1%, queries: [] }", "")).queries()).isEmpty();
  }

  @Test
  void load_whenQueriesButNoPrometheusResource_asksForOne() {
    assertThat(error(withAnalysis("{ maxErrorRate: 1%, queries: [ { name: q, query: up, min: 1 } ] }",
        "resources:\n  db: { type: postgres }\n"))).isEqualTo("slipway.yaml:8:43: "
        + "services.api.strategy.canary.steps[0].analysis.queries: analysis queries need a `prometheus` resource\n"
        + "    add one under `resources:`, e.g. `metrics: { type: prometheus }`, or remove `queries:`");
  }

  @Test
  void load_whenQueriesOnAClusterEnvironmentWithPrometheus_needNoResource() {
    String yaml = withAnalysis("{ queries: [ { name: q, query: up, min: 1 } ] }",
        "environments:\n  staging: { target: kubernetes, namespace: shop, prometheus: 'http://prom:9090' }\n"
            + "  dev: { target: local }\n");
    StrategySpec.Canary c = (StrategySpec.Canary) ModelLoader.parse(yaml, java.nio.file.Path.of("slipway.yaml"),
        "staging").service("api").strategy();
    assertThat(((CanaryStep.Analysis) c.steps().get(0)).queries()).hasSize(1);
    // The local environment has no Prometheus to ask: there the rule stands.
    assertThat(org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> ModelLoader.parse(yaml,
        java.nio.file.Path.of("slipway.yaml"), "dev")).getMessage()).contains("analysis queries need a `prometheus` resource");
  }

  @Test
  void load_whenPrometheusResourceIsOtherwiseBroken_reportsOnlyTheResource() {
    assertThat(error(withAnalysis("{ queries: [ { name: q, query: up, min: 1 } ] }",
        "resources:\n  metrics: { type: prometheus, provider: embedded }\n"))).isEqualTo("slipway.yaml:10:42: "
        + "resources.metrics.provider: prometheus has no embedded provider\n"
        + "    use `provider: local`, `docker` or `external`");
  }

  @Test
  void load_whenQueryNamesRepeat_pointsAtTheSecond() {
    assertThat(error(withQueries("[ { name: q, query: up, min: 1 }, { name: q, query: down, max: 0 } ]")))
        .isEqualTo("slipway.yaml:8:94: services.api.strategy.canary.steps[0].analysis.queries[1].name: "
            + "duplicate query `q`\n    rename it; `q` is already used by queries[0]");
  }

  @Test
  void load_whenQuerySetsNoBound_asksForMaxOrMin() {
    assertThat(error(withQueries("[ { name: db-errors, query: up } ]"))).isEqualTo("slipway.yaml:8:54: "
        + "services.api.strategy.canary.steps[0].analysis.queries[0]: query `db-errors` sets no bound\n"
        + "    add `max:` (fails above it) or `min:` (fails below it)");
  }

  @Test
  void load_whenQueryLacksItsText_showsAnExample() {
    assertThat(error(withQueries("[ { name: q, max: 1 } ]"))).isEqualTo("slipway.yaml:8:54: "
        + "services.api.strategy.canary.steps[0].analysis.queries[0]: missing required key `query`\n"
        + "    add `query:` with a PromQL expression that yields one number, e.g. "
        + "`query: \"sum(rate(db_errors_total[{{window}}]))\"`");
  }

  @Test
  void load_whenPlaceholderMisspelt_pointsAtItAndSuggests() {
    assertThat(error(withQueries("[ { name: q, query: \"rate(x{service='{{servce}}'}[{{window}}])\", max: 1 } ]")))
        .isEqualTo("slipway.yaml:8:89: services.api.strategy.canary.steps[0].analysis.queries[0].query: "
            + "unknown placeholder `{{servce}}`\n    did you mean `{{service}}`?");
  }

  @Test
  void load_whenMinAboveMax_saysNothingCouldPass() {
    assertThat(error(withQueries("[ { name: q, query: up, max: 1, min: 5 } ]"))).isEqualTo("slipway.yaml:8:89: "
        + "services.api.strategy.canary.steps[0].analysis.queries[0].min: `min` 5 is above `max` 1, so no value "
        + "could pass\n    swap them, or remove one");
  }

  @Test
  void load_whenBoundIsAPercentage_suggestsTheFraction() {
    assertThat(error(withQueries("[ { name: q, query: up, max: 2.5% } ]"))).isEqualTo("slipway.yaml:8:81: "
        + "services.api.strategy.canary.steps[0].analysis.queries[0].max: expected a number, found `2.5%`\n"
        + "    a query yields a plain number; write `0.025` for 2.5%");
  }

  @Test
  void load_whenBoundIsQuoted_asksToRemoveTheQuotes() {
    assertThat(error(withQueries("[ { name: q, query: up, max: \"0.5\" } ]"))).isEqualTo("slipway.yaml:8:81: "
        + "services.api.strategy.canary.steps[0].analysis.queries[0].max: expected a number, found the quoted "
        + "string `\"0.5\"`\n    remove the quotes");
  }

  @Test
  void load_whenQueryNameHasSpaces_showsTheAllowedCharacters() {
    assertThat(error(withQueries("[ { name: db errors, query: up, max: 1 } ]"))).isEqualTo("slipway.yaml:8:62: "
        + "services.api.strategy.canary.steps[0].analysis.queries[0].name: invalid query name `db errors`\n"
        + "    use letters, digits, `-`, `_` and `.`, at most 63 characters, e.g. `db-errors`");
  }

  @Test
  void load_whenQueriesIsAMap_showsTheListForm() {
    assertThat(error(withQueries("{ name: q, query: up, max: 1 }"))).isEqualTo("slipway.yaml:8:52: "
        + "services.api.strategy.canary.steps[0].analysis.queries: expected a list, found a map\n"
        + "    write `- { name: db-errors, query: \"sum(rate(db_errors_total[{{window}}]))\", max: 0.5 }`");
  }

  @Test
  void load_whenBoundKeyMisspelt_suggestsItOnce() {
    assertThat(error(withQueries("[ { name: q, query: up, maxx: 1 } ]"))).isEqualTo("slipway.yaml:8:76: "
        + "services.api.strategy.canary.steps[0].analysis.queries[0].maxx: unknown key `maxx`\n"
        + "    did you mean `max`?");
  }

  @Test
  void expand_substitutesEveryKnownPlaceholderAndKeepsTheRest() {
    MetricQuery q = new MetricQuery("q", "rate(x{service=\"{{service}}\",version=\"{{ canary }}\"}[{{window}}])"
        + " / {{stable}} {{other}}", 1.0, null);

    assertThat(q.expand(Map.of("service", "api", "canary", "r2", "stable", "r1", "window", "30s")))
        .isEqualTo("rate(x{service=\"api\",version=\"r2\"}[30s]) / r1 {{other}}");
  }

  @Test
  void accepts_whenValueWithinBounds_andNeverNaN() {
    MetricQuery q = new MetricQuery("q", "up", 1.0, 0.5);

    assertThat(q.accepts(0.5)).isTrue();
    assertThat(q.accepts(1.0)).isTrue();
    assertThat(q.accepts(1.01)).isFalse();
    assertThat(q.accepts(0.4)).isFalse();
    assertThat(q.accepts(Double.NaN)).isFalse();
  }
}
