package dev.slipway.model;

import static dev.slipway.model.Models.app;
import static dev.slipway.model.Models.error;
import static dev.slipway.model.Models.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every registered strategy can be written in a model file, bound, and named by its id. */
class StrategyKindTest {

  /** A model file's smallest complete use of {@code kind}; a new kind must add one here. */
  private static String written(StrategyKind kind) {
    return switch (kind) {
      case ROLLING -> "rolling: { maxSurge: 2 }";
      case BLUE_GREEN -> "blueGreen: { rollbackWindow: 1m }";
      case CANARY -> "canary: { steps: [ { setWeight: 20 } ] }";
    };
  }

  @ParameterizedTest
  @EnumSource(StrategyKind.class)
  void bind_everyRegisteredStrategy_hasABinderThatYieldsItsKind(StrategyKind kind) {
    StrategySpec bound = parse(app("  api: { run: x, strategy: { " + written(kind) + " } }\n")).service("api").strategy();

    assertThat(bound.kind()).isEqualTo(kind);
    assertThat(bound.id()).isEqualTo(kind.id());
    assertThat(bound).isNotEqualTo(kind.defaults()); // the written settings were read, not defaulted
  }

  @ParameterizedTest
  @EnumSource(StrategyKind.class)
  void defaults_areOfTheirOwnKind(StrategyKind kind) {
    assertThat(kind.defaults().kind()).isEqualTo(kind);
  }

  @ParameterizedTest
  @EnumSource(StrategyKind.class)
  void byName_findsTheIdAndTheModelKey(StrategyKind kind) {
    assertThat(StrategyKind.byName(kind.id())).contains(kind);
    assertThat(StrategyKind.byName(kind.modelKey())).contains(kind);
    assertThat(ModelKeys.STRATEGY).contains(kind.modelKey());
  }

  @Test
  void ids_areDistinctAndReadAsAList() {
    assertThat(Arrays.stream(StrategyKind.values()).map(StrategyKind::id)).doesNotHaveDuplicates();
    assertThat(StrategyKind.byName("blueGreen")).contains(StrategyKind.BLUE_GREEN);
    assertThat(StrategyKind.byName("bluegreen")).isEmpty();
    assertThat(StrategyKind.ids()).isEqualTo("rolling, blue-green or canary");
  }

  @Test
  void load_whenStrategyKeyUnknown_isAnErrorWithASuggestion_notACanary() {
    assertThat(error(app("  api: { run: x, strategy: { canari: { steps: [ { setWeight: 20 } ] } } }\n")))
        .isEqualTo("slipway.yaml:3:30: services.api.strategy.canari: unknown key `canari`\n    did you mean `canary`?");
  }
}
