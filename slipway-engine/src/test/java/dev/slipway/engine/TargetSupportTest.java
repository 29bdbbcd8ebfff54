package dev.slipway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.model.TargetCapability;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A release whose steps need what the target cannot do is refused up front, naming what can run. */
class TargetSupportTest {
  @TempDir
  Path dir;

  @Test
  void deploy_whenTheTargetHasNoReleaseMetrics_refusesACanaryBeforeAnythingStarts_andSuggestsRolling() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY)) {
      EngineHarness.Engine e = h.engine().up();
      e.target.capabilities = EnumSet.of(TargetCapability.WEIGHTED_TRAFFIC, TargetCapability.WARM_STANDBY);
      var before = h.world.running("api");

      assertThatThrownBy(() -> e.deploy(Map.of("V", "2")))
          .isInstanceOfSatisfying(EngineException.class, x -> {
            assertThat(x.kind()).isEqualTo(EngineException.Kind.INVALID);
            assertThat(x.hint()).isEqualTo("deploy with --strategy rolling");
          })
          .hasMessage("the memory target cannot run this canary release of api: it has no release metrics");
      assertThat(e.releases().history("api").deployments()).isEmpty();
      assertThat(h.world.running("api")).isEqualTo(before);
    }
  }

  @Test
  void deploy_whenTheTargetCannotPinRequests_refusesBlueGreenWithSmokeChecks_butRunsRolling() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.BLUE_GREEN)) {
      EngineHarness.Engine e = h.engine().up();
      e.target.capabilities = EnumSet.of(TargetCapability.WEIGHTED_TRAFFIC, TargetCapability.RELEASE_METRICS);

      assertThatThrownBy(() -> e.deploy(Map.of("V", "2"), "blue-green")).isInstanceOf(EngineException.class)
          .hasMessageContaining("cannot run this blue-green release of api: it has no pinned requests");
      assertThat(h.awaitEnd(e.deploy(Map.of("V", "2"), "rolling").id()).strategy()).isEqualTo("rolling");
    }
  }
}
