package dev.slipway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.DeploymentView;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deploy --strategy}: looked up by id or model key, with the chosen strategy's own defaults. */
class StrategyChoiceTest {
  @TempDir
  Path dir;

  @Test
  void deployAsCanary_onARollingService_runsTheDefaultCanarySteps_notAnEmptyCanary() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.ROLLING)) {
      EngineHarness.Engine e = h.engine().up();

      DeploymentView d = e.deploy(Map.of("V", "2"), "canary");

      assertThat(d.strategy()).isEqualTo("canary");
      assertThat(d.steps()).containsSubsequence("set weight 10%", "analysis", "set weight 50%", "analysis",
          "set weight 100%");
      e.releases().abort("api");
      h.awaitEnd(d.id());
    }
  }

  @Test
  void deploy_takesTheModelKeyToo_andShowsTheId() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.ROLLING)) {
      EngineHarness.Engine e = h.engine().up();

      DeploymentView d = e.deploy(Map.of("V", "2"), "blueGreen");

      assertThat(d.strategy()).isEqualTo("blue-green");
      h.awaitEnd(d.id());
    }
  }

  @Test
  void deploy_withAnUnknownStrategy_isRefusedListingTheIds() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.ROLLING)) {
      EngineHarness.Engine e = h.engine().up();

      assertThatThrownBy(() -> e.deploy(Map.of("V", "2"), "blue_green"))
          .isInstanceOfSatisfying(EngineException.class, x -> {
            assertThat(x.kind()).isEqualTo(EngineException.Kind.INVALID);
            assertThat(x.hint()).isEqualTo("use rolling, blue-green or canary");
          })
          .hasMessage("unknown strategy `blue_green`");
    }
  }
}
