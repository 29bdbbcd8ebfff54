package dev.slipway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.DeploymentView;
import dev.slipway.store.Deployment;
import dev.slipway.store.DeploymentPhase;
import dev.slipway.store.DeploymentState;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every strategy's steps, on the in-memory runtime and simulated time. */
class RolloutStrategiesTest {
  @TempDir
  Path dir;

  @Test
  void canary_shiftsPausesAnalysesThenPromotes_andRetiresTheStableRelease() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY)) {
      EngineHarness.Engine e = h.engine().up();

      DeploymentView d = e.deploy(Map.of("V", "2"));
      Deployment end = h.awaitEnd(d.id());

      assertThat(end.state()).isEqualTo(DeploymentState.SUCCEEDED);
      assertThat(end.phase()).isEqualTo(DeploymentPhase.DONE);
      assertThat(h.current()).isEqualTo("api-r2");
      assertThat(h.world.routeHistory.get("api")).extracting(w -> w.get("api-r2"))
          .containsSubsequence(20, 50, 100);
      assertThat(h.world.running("api")).containsExactly("api-r2-1", "api-r2-2");
      assertThat(h.world.violations).isEmpty();
    }
  }
}
