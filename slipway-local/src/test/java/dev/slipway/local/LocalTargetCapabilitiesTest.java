package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.model.StrategyKind;
import dev.slipway.plan.ReleasePlanner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The local target runs every registered strategy: each one's needs are among its capabilities. */
class LocalTargetCapabilitiesTest {

  @ParameterizedTest
  @EnumSource(StrategyKind.class)
  void capabilities_coverWhatEveryRegisteredStrategyNeeds(StrategyKind kind) {
    assertThat(LocalTarget.CAPABILITIES).containsAll(ReleasePlanner.forKind(kind).needs());
  }
}
