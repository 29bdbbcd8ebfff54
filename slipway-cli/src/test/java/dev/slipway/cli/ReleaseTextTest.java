package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.DeploymentView;
import dev.slipway.api.HistoryView;
import dev.slipway.api.StatusView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How releases read in `history` and `status`: versions beside release ids, the blue-green warm window. */
class ReleaseTextTest {

  @Test
  void history_showsEachDeploymentsVersionsBesideItsReleaseIds() {
    HistoryView h = new HistoryView("api", "api-r2", List.of(
        new HistoryView.ReleaseView("api-r3", "v3", null, "2026-06-01T10:00:00Z", "ci", false),
        new HistoryView.ReleaseView("api-r2", "v2", null, "2026-05-01T10:00:00Z", "ci", true)),
        List.of(deployment(4, "api-r2", "v2", "api-r3", "v3", "rolled-back", "analysis failed", null),
            deployment(3, null, null, "api-r2", "v2", "succeeded", null, null)));

    List<String> lines = ReleaseCommands.History.render(h);

    String v3 = lines.stream().filter(l -> l.startsWith("4 ")).findFirst().orElseThrow();
    assertThat(v3).contains("api-r2 (v2)", "api-r3 (v3)", "rolled-back", "analysis failed");
    assertThat(lines.stream().filter(l -> l.startsWith("3 ")).findFirst().orElseThrow()).contains("-", "api-r2 (v2)");
  }

  @Test
  void status_duringABlueGreenWarmWindow_showsTheVersionThatServes_andThePreviousOneWarmUntilWhen() {
    String until = "2026-06-01T10:05:00Z";
    DeploymentView rollout = deployment(5, "web-r1", "v1", "web-r2", "v2", "running", null, until);
    StatusView.ServiceView web = new StatusView.ServiceView("web", "rolling-out", true, "http://127.0.0.1:40000",
        "v2", 0, List.of(), "web-r2", Map.of("web-r2", 100), rollout, null);

    List<String> lines = StatusTable.render(new StatusView("shop", "dev", "ready", null, List.of(web), List.of()));

    assertThat(lines.get(2)).contains("v2 (v1 warm)", "web-r2 100%");
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("web-r2 (v2) is live; web-r1 (v1) stays warm until "
        + RolloutProgress.clock(until) + ": `slipway rollback web` switches back at once"));
    assertThat(RolloutProgress.clock(until)).matches("\\d\\d:\\d\\d:\\d\\d");
    assertThat(RolloutProgress.clock(until)).isEqualTo(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")
        .withZone(java.time.ZoneId.systemDefault()).format(Instant.parse(until)));
  }

  private static DeploymentView deployment(long id, String from, String fromVersion, String to, String toVersion,
      String state, String reason, String warmUntil) {
    return new DeploymentView(id, "api", from, to, fromVersion, toVersion, "blue-green", state, 4,
        List.of("start 2 candidate instances", "wait for candidate readiness", "set weight 100%", "promote candidate",
            "keep previous release warm for 5m", "drain and stop the stable release"),
        Map.of(), reason, Map.of(), "2026-06-01T10:00:00Z", null, state.equals("running") ? "holding" : "done", warmUntil);
  }
}
