package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.model.RouterLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterProcessTest {

  @Test
  void argv_passesTheEnvironmentsRouterLimits_asTheRoutersFlags() {
    RouterLimits limits = new RouterLimits(2000, Duration.ofSeconds(5), null, Duration.ofMillis(1500), Duration.ofMinutes(10), 64);
    List<String> argv = RouterProcess.argv(Path.of("/state/router"), Path.of("/state/router/token"), 4100, limits);

    assertThat(argv.subList(argv.indexOf(RouterProcess.MAIN) + 1, argv.size())).containsExactly(
        "--state-dir", "/state/router", "--admin-port", "4100", "--token-file", "/state/router/token",
        "--max-connections", "2000", "--request-head-timeout", "5000ms", "--keep-alive-timeout", "1500ms",
        "--tunnel-idle-timeout", "600000ms", "--max-connections-per-backend", "64");
  }

  @Test
  void argv_withoutLimits_leavesTheRoutersDefaults() {
    List<String> argv = RouterProcess.argv(Path.of("/s"), Path.of("/s/token"), 1, null);

    assertThat(argv.get(argv.size() - 2)).isEqualTo("--token-file");
    assertThat(RouterProcess.limitFlags(new RouterLimits(null, null, null, null, null, null))).isEmpty();
  }
}
