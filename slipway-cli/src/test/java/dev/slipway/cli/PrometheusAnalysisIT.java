package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.DeploymentView;
import dev.slipway.api.HistoryView;
import dev.slipway.api.StatusView;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With a {@code prometheus} resource, Slipway runs a real Prometheus (Debian's) that scrapes the
 * router every second, and canary analysis reads it — including the step's own PromQL queries.
 */
class PrometheusAnalysisIT {
  private static Path work;
  @org.junit.jupiter.api.extension.RegisterExtension
  static final StackDiagnostics DIAGNOSTICS = new StackDiagnostics(() -> work);
  private static String model;
  private static ControlPlaneClient client;

  @BeforeAll
  static void up() throws Exception {
    assertThat(Path.of("/usr/bin/prometheus")).as("Debian's prometheus (bin/setup-test-machine installs it)").exists();
    work = CliTestSupport.helloFixture("rollout-prometheus", "slipway-prom-it");
    model = work.resolve("slipway.yaml").toString();
    client = CliTestSupport.upDetached(work);
  }

  @AfterAll
  static void down() {
    CliTestSupport.cli("down", "-f", model, "--volumes");
  }

  @Test
  void canaryWithErrors_isRolledBackFromPrometheusNumbers_withTheQueryValueInItsMeasurements() throws Exception {
    StatusView status = client.status();
    assertThat(status.resources()).anySatisfy(r -> {
      assertThat(r.type()).isEqualTo("prometheus");
      assertThat(r.healthy()).isTrue();
    });
    String front = status.services().getFirst().url();
    try (LoadGenerator load = new LoadGenerator(URI.create(front + "/"), 100, 4)) {
      load.start();
      Thread.sleep(3000); // a few scrapes of the stable release first
      CliTestSupport.Result r = CliTestSupport.cli("deploy", "-f", model, "canary", "--set", "FAULT_ERROR_RATE=0.3",
          "--wait", "--timeout", "3m");
      assertThat(r.code()).as(r.output()).isEqualTo(1);
    }
    DeploymentView d = client.get(ReleaseCommands.path("canary", "history"), HistoryView.class).deployments().getFirst();
    assertThat(d.state()).isEqualTo("rolled-back");
    assertThat(d.reason()).startsWith("analysis failed:");
    @SuppressWarnings("unchecked")
    Map<String, Object> canary = (Map<String, Object>) d.measurements().get("canary");
    assertThat(((Number) canary.get("errors")).longValue()).isPositive();
    assertThat(d.measurements()).containsKey("queries");
  }
}
