package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.slipway.api.DeploymentView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentTextTest {

  @Test
  void rolledBackCanary_readsAsASentenceWithItsMeasurementsInUnits_notAsAMap() throws Exception {
    DeploymentView d = deployment("rolled-back",
        "analysis failed: canary error rate 100% (64 of 64 requests) exceeded the 1% limit; stable 0% (0 of 300)",
        """
        {"windowSeconds": 4.213, "canary": {"version": "api-r3", "requests": 64, "errors": 64, "errorRate": 1.0,
         "p95Ms": 3.14, "p99Ms": 8.0}, "stable": {"version": "api-r2", "requests": 300, "errors": 0, "errorRate": 0.0,
         "p95Ms": 2.9, "p99Ms": 812.6}, "queries": {}}""");

    String text = DeploymentText.reason(d);

    assertThat(text).isEqualTo("analysis failed: canary error rate 100% (64 of 64 requests) exceeded the 1% limit; "
        + "stable 0% (0 of 300) — measured over 4.2 s: canary 64 requests, 64 errors (100%), p95 3.1 ms, p99 8 ms; "
        + "stable 300 requests, 0 errors (0%), p95 2.9 ms, p99 813 ms");
    assertThat(text).doesNotContain("{", "=", "errorRate");
  }

  @Test
  void succeededDeployment_showsWhatWasMeasured_queriesIncluded() throws Exception {
    DeploymentView d = deployment("succeeded", null, """
        {"windowSeconds": 31.7, "canary": {"version": "api-r3", "requests": 1, "errors": 0, "errorRate": 0.0005,
         "p95Ms": null, "p99Ms": null}, "stable": {"version": "api-r2", "requests": 0, "errors": 0, "errorRate": null,
         "p95Ms": null, "p99Ms": null}, "queries": {"cache-hit": 0.72134, "db-errors": null}}""");

    assertThat(DeploymentText.reason(d)).isEqualTo("measured over 31.7 s: canary 1 request, 0 errors (0%); "
        + "stable 0 requests; queries cache-hit 0.7213, db-errors no data");
  }

  @Test
  void crashedCandidate_isItsReasonAlone_theLogLinesStayInTheJson() throws Exception {
    DeploymentView d = deployment("rolled-back",
        "candidate api-r3-1 keeps crashing (5 exits): org.postgresql.util.PSQLException: FATAL: password "
            + "authentication failed for user \"app\"",
        """
        {"crash": {"instance": "api-r3-1", "exits": 5, "cause": "…", "log": ["Caused by: …", "\\tat …"]}}""");

    assertThat(DeploymentText.reason(d)).isEqualTo(d.reason());
    assertThat(DeploymentText.reason(deployment("aborted", null, "{}"))).isEmpty();
  }

  @Test
  void state_ofARunningDeployment_saysItsPhase_ofAnEndedOneItsOutcomeAlone() throws Exception {
    DeploymentView ended = deployment("rolled-back", null, "{}");
    DeploymentView running = new DeploymentView(7, "api", "api-r2", "api-r3", "v2", "v3", "canary", "running", 4,
        List.of(), Map.of(), "analysis failed: …", Map.of(), "2026-06-01T10:00:00Z", null, "rolling-back", null);

    assertThat(DeploymentText.state(ended)).isEqualTo("rolled-back");
    assertThat(DeploymentText.state(running)).isEqualTo("running (rolling-back)");
  }

  @Test
  void percentagesAndMilliseconds_keepTheDigitsThatMatter() {
    assertThat(List.of(DeploymentText.percent(1.0), DeploymentText.percent(0.052), DeploymentText.percent(0.0005),
        DeploymentText.percent(0.0))).containsExactly("100%", "5.2%", "0.05%", "0%");
    assertThat(List.of(DeploymentText.millis(8.0), DeploymentText.millis(3.14), DeploymentText.millis(820.4)))
        .containsExactly("8 ms", "3.1 ms", "820 ms");
  }

  private static DeploymentView deployment(String state, String reason, String measurements) throws Exception {
    Map<String, Object> m = ControlPlaneClient.JSON.readValue(measurements, new TypeReference<Map<String, Object>>() { });
    return new DeploymentView(7, "api", "api-r2", "api-r3", "v2", "v3", "canary", state, 4, List.of(), Map.of(),
        reason, m, "2026-06-01T10:00:00Z", "2026-06-01T10:01:00Z", "done", null);
  }
}
