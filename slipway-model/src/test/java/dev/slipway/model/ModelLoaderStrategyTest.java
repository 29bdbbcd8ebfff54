package dev.slipway.model;

import static dev.slipway.model.Models.app;
import static dev.slipway.model.Models.error;
import static dev.slipway.model.Models.errors;
import static dev.slipway.model.Models.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code strategy:} variants, canary steps and their errors. */
class ModelLoaderStrategyTest {

  private static String withStrategy(String strategy) {
    return app("  api:\n    run: x\n    strategy:\n" + strategy);
  }

  private static StrategySpec strategy(String strategy) {
    return parse(withStrategy(strategy)).service("api").strategy();
  }

  @Test
  void load_whenCanaryStepsWritten_bindsEachForm() {
    StrategySpec s = strategy("""
              canary:
                steps:
                  - setWeight: 5
                  - pause: 1m30s
                  - pause: {}
                  - pause:
                  - pause: { duration: 1.5s }
                  - analysis: { maxErrorRate: 0.02, maxLatencyP95: 300ms, timeout: 10m }
        """);

    assertThat(s).isEqualTo(new StrategySpec.Canary(List.of(
        new CanaryStep.SetWeight(5),
        new CanaryStep.Pause(Duration.ofSeconds(90)),
        new CanaryStep.Pause(null),
        new CanaryStep.Pause(null),
        new CanaryStep.Pause(Duration.ofMillis(1500)),
        new CanaryStep.Analysis(0.02, Duration.ofMillis(300), null, 100, Duration.ofMinutes(10), List.of()))));
  }

  @Test
  void load_whenBlueGreenHasSmokeChecks_defaultsExpectTo200() {
    StrategySpec s = strategy("      blueGreen: { smoke: [ { name: home, path: / }, { name: api, path: /api, expect: 204 } ] }\n");

    assertThat(s).isEqualTo(new StrategySpec.BlueGreen(Duration.ofMinutes(5), List.of(
        new StrategySpec.SmokeCheck("home", "/", 200), new StrategySpec.SmokeCheck("api", "/api", 204))));
  }

  @Test
  void load_whenVariantWrittenWithoutSettings_takesItsDefaults() {
    assertThat(strategy("      rolling:\n")).isEqualTo(new StrategySpec.Rolling(1, 0));
    assertThat(strategy("      blueGreen: {}\n")).isEqualTo(new StrategySpec.BlueGreen(Duration.ofMinutes(5), List.of()));
    assertThat(strategy("      rolling: { maxUnavailable: 1 }\n")).isEqualTo(new StrategySpec.Rolling(1, 1));
  }

  @Test
  void load_whenStrategyIsAWord_showsTheMapForm() {
    assertThat(error(app("  api: { run: x, strategy: canary }\n"))).isEqualTo("slipway.yaml:3:28: "
        + "services.api.strategy: expected a map, found `canary`\n    write `strategy: { canary: { steps: [ … ] } }`");
  }

  @Test
  void load_whenTwoStrategies_asksToKeepOne() {
    assertThat(error(withStrategy("      rolling: {}\n      canary: { steps: [ { setWeight: 1 } ] }\n"))).isEqualTo(
        "slipway.yaml:7:7: services.api.strategy.canary: only one strategy allowed, found `rolling` and `canary`\n"
            + "    keep one of them");
  }

  @Test
  void load_whenNoStrategyChosen_listsTheChoices() {
    assertThat(error(app("  api: { run: x, strategy: {} }\n"))).isEqualTo("slipway.yaml:3:18: services.api.strategy: "
        + "no strategy chosen\n    write one of `rolling: {}`, `blueGreen: {}` or `canary: { steps: [ … ] }`");
  }

  @Test
  void load_whenStrategyMisspelt_suggestsTheVariant() {
    assertThat(error(withStrategy("      blueGrean: {}\n"))).isEqualTo(
        "slipway.yaml:6:7: services.api.strategy.blueGrean: unknown key `blueGrean`\n    did you mean `blueGreen`?");
  }

  @Test
  void load_whenRollingCanReplaceNothing_saysWhy() {
    assertThat(error(withStrategy("      rolling: { maxSurge: 0, maxUnavailable: 0 }\n"))).isEqualTo(
        "slipway.yaml:6:7: services.api.strategy.rolling: `maxSurge` and `maxUnavailable` are both 0, so no instance "
            + "could ever be replaced\n    set `maxSurge: 1` or `maxUnavailable: 1`");
  }

  @Test
  void load_whenCanaryHasNoSteps_showsAnExample() {
    assertThat(error(withStrategy("      canary:\n"))).isEqualTo("slipway.yaml:6:7: services.api.strategy.canary: "
        + "missing required key `steps`\n    add `steps:`, e.g. `steps: [ { setWeight: 10 }, { pause: 5m } ]`");
  }

  @Test
  void load_whenCanaryStepsEmpty_asksForOne() {
    assertThat(error(withStrategy("      canary: { steps: [] }\n"))).isEqualTo("slipway.yaml:6:24: "
        + "services.api.strategy.canary.steps: a canary needs at least one step\n"
        + "    add e.g. `- setWeight: 10` and `- pause: 5m`");
  }

  @Test
  void load_whenWeightOutOfRange_givesTheRangeAtTheExactStep() {
    assertThat(error(withStrategy("      canary:\n        steps:\n          - setWeight: 10\n          - setWeight: 150\n")))
        .isEqualTo("slipway.yaml:9:24: services.api.strategy.canary.steps[1].setWeight: expected an integer from 0 "
            + "to 100, found `150`\n    write the share of traffic for the canary, from 0 to 100");
  }

  @Test
  void load_whenPauseIsABareNumber_saysToAddAUnit() {
    assertThat(error(withStrategy("      canary: { steps: [ { pause: 30 } ] }\n"))).isEqualTo("slipway.yaml:6:35: "
        + "services.api.strategy.canary.steps[0].pause: duration `30` has no unit\n    add a unit, e.g. `30s`");
  }

  @Test
  void load_whenStepHasTwoKeys_saysEachStepHasOne() {
    assertThat(error(withStrategy("      canary: { steps: [ { setWeight: 1, pause: 1s } ] }\n"))).isEqualTo(
        "slipway.yaml:6:26: services.api.strategy.canary.steps[0]: a step has exactly one key, found 2 (`setWeight`, "
            + "`pause`)\n    write each step as `- setWeight: 10`, `- pause: 5m` or `- analysis: { … }`");
  }

  @Test
  void load_whenStepMisspelt_suggestsTheStep() {
    assertThat(error(withStrategy("      canary: { steps: [ { setWieght: 1 } ] }\n"))).isEqualTo("slipway.yaml:6:28: "
        + "services.api.strategy.canary.steps[0].setWieght: unknown key `setWieght`\n    did you mean `setWeight`?");
  }

  @Test
  void load_whenAnalysisHasNoLimit_namesTheLimits() {
    assertThat(error(withStrategy("      canary: { steps: [ { analysis: { minRequests: 10 } } ] }\n"))).isEqualTo(
        "slipway.yaml:6:28: services.api.strategy.canary.steps[0].analysis: `analysis` sets no limit\n"
            + "    add at least one of `maxErrorRate: 1%`, `maxLatencyP95: 300ms`, `maxLatencyP99: 500ms`");
  }

  @Test
  void load_whenErrorRateIsABareNumberAboveOne_asksForPercentOrFraction() {
    assertThat(error(withStrategy("      canary: { steps: [ { analysis: { maxErrorRate: 5 } } ] }\n"))).isEqualTo(
        "slipway.yaml:6:54: services.api.strategy.canary.steps[0].analysis.maxErrorRate: rate `5` is ambiguous\n"
            + "    write 5% or 0.05");
  }

  @Test
  void load_whenSmokeNamesRepeat_pointsAtTheSecond() {
    assertThat(error(withStrategy("      blueGreen:\n        smoke:\n          - { name: home, path: / }\n"
        + "          - { name: home, path: /index }\n"))).isEqualTo("slipway.yaml:9:21: "
        + "services.api.strategy.blueGreen.smoke[1].name: duplicate smoke check `home`\n"
        + "    rename it; `home` is already used by smoke[0]");
  }

  @Test
  void load_whenSmokeCheckUnnamed_explainsWhyNamesMatter() {
    assertThat(error(withStrategy("      blueGreen: { smoke: [ { path: / } ] }\n"))).isEqualTo("slipway.yaml:6:29: "
        + "services.api.strategy.blueGreen.smoke[0]: missing required key `name`\n"
        + "    add `name:`; names let environments change one check");
  }

  @Test
  void load_whenRollbackWindowUsesDays_listsTheUnits() {
    assertThat(errors(withStrategy("      blueGreen: { rollbackWindow: 1d }\n"))).containsExactly(
        "slipway.yaml:6:36: services.api.strategy.blueGreen.rollbackWindow: expected a duration, found `1d`\n"
            + "    write it like `500ms`, `30s`, `5m`, `1h` or `1m30s`");
  }
}
