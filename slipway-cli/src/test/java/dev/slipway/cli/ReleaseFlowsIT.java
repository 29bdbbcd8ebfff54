package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.DeployRequest;
import dev.slipway.api.DeploymentView;
import dev.slipway.api.HistoryView;
import dev.slipway.api.RolloutRequest;
import dev.slipway.api.StatusView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Releases end to end through the CLI and the API: canary, refusal, automatic rollback, rollback, abort. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReleaseFlowsIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Set<String> TERMINAL = Set.of("succeeded", "rolled-back", "aborted", "failed");
  private static Path work;
  @org.junit.jupiter.api.extension.RegisterExtension
  static final StackDiagnostics DIAGNOSTICS = new StackDiagnostics(() -> work);
  private static String model;
  private static ControlPlaneClient client;

  @BeforeAll
  static void up() throws Exception {
    work = CliTestSupport.helloFixture("rollout", "slipway-release-it");
    model = work.resolve("slipway.yaml").toString();
    client = CliTestSupport.upDetached(work);
  }

  @AfterAll
  static void down() {
    CliTestSupport.cli("down", "-f", model, "--volumes");
  }

  @Test
  @Order(1)
  void deployWait_canaryUnderLoad_goesLive_withWeightsShownWhileItRuns() throws Exception {
    String front = url("canary");
    try (LoadGenerator load = new LoadGenerator(URI.create(front + "/"), 80, 4)) {
      load.start();
      CliTestSupport.Result r = CliTestSupport.cli("deploy", "-f", model, "canary", "--version", "v2", "--wait", "--timeout", "3m");
      assertThat(r.code()).as(r.output()).isZero();
      assertThat(r.out()).contains("step 3/", "set weight 20%", "analysis", "deploy: canary succeeded after");
      load.close();
      assertThat(load.failedExcept("none")).isZero();
      assertThat(load.served.keySet()).contains("canary-r1", "canary-r2");
    }
    StatusView.ServiceView s = service("canary");
    assertThat(s.version()).isEqualTo("v2");
    assertThat(s.weights()).containsExactly(Map.entry("canary-r2", 100));
    HistoryView h = client.get(ReleaseCommands.path("canary", "history"), HistoryView.class);
    assertThat(h.deployments().getFirst().state()).isEqualTo("succeeded");
    assertThat(h.deployments().getFirst().measurements()).containsKeys("canary", "stable");
  }

  @Test
  @Order(2)
  void secondDeploy_whileOneRuns_isRefusedNamingIt_andQueueWaitsForIt() throws Exception {
    DeploymentView first = client.post(ReleaseCommands.path("bluegreen", "deploy"),
        new DeployRequest("b2", Map.of(), null, false, false), DeploymentView.class);

    CliTestSupport.Result second = CliTestSupport.cli("deploy", "-f", model, "bluegreen", "--version", "b3");

    assertThat(second.code()).isEqualTo(1);
    assertThat(second.err()).contains("bluegreen already has a deployment in progress: #" + first.id()
        + " (blue-green bluegreen-r1 → bluegreen-r2");
    CliTestSupport.Result queued = CliTestSupport.cli("deploy", "-f", model, "bluegreen", "--version", "b3",
        "--queue", "--wait-warm", "--timeout", "3m");
    assertThat(queued.code()).as(queued.output()).isZero();
    assertThat(queued.out()).as("--wait-warm follows the rollback window to the end").contains("bluegreen-r2 stays warm until",
        "deploy: bluegreen succeeded after").doesNotContain("is live after");
    assertThat(service("bluegreen").version()).isEqualTo("b3");
    assertThat(service("bluegreen").rollout()).isNull();
  }

  @Test
  @Order(3)
  void canaryAnswering20PercentErrors_isRolledBackAutomatically_withTheMeasuredValues() throws Exception {
    try (LoadGenerator load = new LoadGenerator(URI.create(url("canary") + "/"), 100, 4)) {
      load.start();
      CliTestSupport.Result r = CliTestSupport.cli("deploy", "-f", model, "canary", "--version", "bad",
          "--set", "FAULT_ERROR_RATE=0.2", "--wait", "--timeout", "3m");
      load.close();
      assertThat(r.code()).as(r.output()).isEqualTo(1);
      assertThat(r.out()).contains("deploy: canary rolled-back after");
      assertThat(load.failedExcept("canary-r3")).isZero();
    }
    assertThat(service("canary").version()).isEqualTo("v2");
    assertThat(service("canary").weights()).containsExactly(Map.entry("canary-r2", 100));
    DeploymentView d = client.get(ReleaseCommands.path("canary", "history"), HistoryView.class).deployments().getFirst();
    assertThat(d.state()).isEqualTo("rolled-back");
    assertThat(d.reason()).startsWith("analysis failed: canary error rate").contains("exceeded the 2% limit");
    assertThat(d.measurements()).containsKey("canary");
    // For people a sentence with units; the numbers in full only in --json.
    CliTestSupport.Result history = CliTestSupport.cli("history", "-f", model, "canary");
    String row = history.out().lines().filter(l -> l.startsWith(d.id() + " ")).findFirst().orElseThrow();
    assertThat(row).as(history.out()).contains("rolled-back", "analysis failed: canary error rate", "measured over",
        "requests", "errors (").doesNotContain("{", "=", "errorRate");
    assertThat(row).as("what happened to `bad`, in one line").contains("canary-r2 (v2)", "canary-r3 (bad)");
    CliTestSupport.Result json = CliTestSupport.cli("history", "-f", model, "canary", "--json");
    assertThat(CliTestSupport.JSON.readTree(json.out()).at("/deployments/0/measurements/canary/errorRate").isNumber())
        .as(json.out()).isTrue();
  }

  @Test
  @Order(4)
  void rollback_returnsToThePreviousReleasesArtifactAndConfiguration() throws Exception {
    CliTestSupport.Result r = CliTestSupport.cli("rollback", "-f", model, "canary", "--wait", "--timeout", "3m");
    assertThat(r.code()).as(r.output()).isZero();
    StatusView.ServiceView s = service("canary");
    assertThat(s.release()).isEqualTo("canary-r1");
    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url("canary") + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answer.headers().firstValue("X-Slipway-Version")).contains("canary-r1");
  }

  @Test
  @Order(5)
  void abort_duringTheBlueGreenRollbackWindow_switchesBackAtOnce() throws Exception {
    client.post(ReleaseCommands.path("bluegreen", "deploy"), new DeployRequest("b4", Map.of(), null, false, false),
        DeploymentView.class);
    awaitWeight("bluegreen", "bluegreen-r4", 100, Duration.ofSeconds(60));
    assertThat(service("bluegreen").version()).as("the version that serves").isEqualTo("b4");

    DeploymentView aborted = client.post(ReleaseCommands.path("bluegreen", "abort"), new RolloutRequest(false, null),
        DeploymentView.class);

    DeploymentView end = awaitTerminal("bluegreen", aborted.id());
    assertThat(end.state()).isEqualTo("aborted");
    assertThat(service("bluegreen").weights()).containsExactly(Map.entry("bluegreen-r3", 100));
    assertThat(service("bluegreen").version()).isEqualTo("b3");
  }

  @Test
  @Order(6)
  void deploy_whenNothingChanged_isRefusedWithWhatToDo() {
    assertThatThrownBy(() -> client.post(ReleaseCommands.path("rolling", "deploy"),
        new DeployRequest(null, Map.of(), null, false, false), DeploymentView.class))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("nothing to deploy: rolling-r1");
  }

  @Test
  @Order(7)
  void crashLoopingRelease_isRolledBack_withItsRealCause_andOneOutcomeAndCountEverywhere() throws Exception {
    CliTestSupport.Result r = CliTestSupport.cli("deploy", "-f", model, "canary", "--version", "crash",
        "--set", "CONFIG_FILE=/nonexistent/hello.conf", "--wait", "--timeout", "3m");

    assertThat(r.code()).as(r.output()).isEqualTo(1);
    // The cause is at the bottom of the exception's chain; the log itself ends with "... 1 more".
    assertThat(r.out()).as(r.output()).contains("Caused by: java.nio.file.NoSuchFileException: /nonexistent/hello.conf",
        "java.lang.IllegalStateException: Failed to start hello crash").doesNotContain("restarts)");
    assertThat(r.out()).contains("deploy: canary rolled-back after");
    java.util.regex.Matcher count = java.util.regex.Pattern.compile("keeps crashing \\((\\d+) exits\\)").matcher(r.out());
    assertThat(count.find()).as(r.output()).isTrue();
    String exits = count.group(1);
    while (count.find()) {
      assertThat(count.group(1)).as("every crash count in\n" + r.out()).isEqualTo(exits);
    }
    String said = "keeps crashing (" + exits + " exits)";

    DeploymentView api = client.get(ReleaseCommands.path("canary", "history"), HistoryView.class).deployments().getFirst();
    assertThat(api.state()).isEqualTo("rolled-back");
    assertThat(api.reason()).contains(said, "NoSuchFileException: /nonexistent/hello.conf");
    CliTestSupport.Result json = CliTestSupport.cli("history", "-f", model, "canary", "--json");
    com.fasterxml.jackson.databind.JsonNode last = CliTestSupport.JSON.readTree(json.out()).get("deployments").get(0);
    assertThat(last.get("state").asText()).isEqualTo("rolled-back");
    assertThat(last.at("/measurements/crash/exits").asText()).isEqualTo(exits);
    assertThat(last.at("/measurements/crash/log").toString()).contains("NoSuchFileException");
    CliTestSupport.Result text = CliTestSupport.cli("history", "-f", model, "canary");
    String row = text.out().lines().filter(l -> l.startsWith(api.id() + " ")).findFirst().orElseThrow();
    assertThat(row).contains("rolled-back", said);
    CliTestSupport.Result status = CliTestSupport.cli("status", "-f", model);
    assertThat(status.out()).as(status.out()).contains("rolled-back", said);
    com.fasterxml.jackson.databind.JsonNode statusJson = CliTestSupport.JSON.readTree(
        CliTestSupport.cli("status", "-f", model, "--json").out());
    com.fasterxml.jackson.databind.JsonNode canary = null;
    for (com.fasterxml.jackson.databind.JsonNode n : statusJson.get("services")) {
      canary = n.get("name").asText().equals("canary") ? n : canary;
    }
    assertThat(canary.at("/lastRollout/state").asText()).as(canary.toString()).isEqualTo("rolled-back");
    assertThat(canary.at("/lastRollout/reason").asText()).contains(said);
    assertThat(canary.get("release").asText()).isEqualTo("canary-r1");

    CliTestSupport.Result logs = CliTestSupport.cli("logs", "--file", model, "canary", "--release", api.to(), "--tail", "200");
    assertThat(logs.code()).as(logs.output()).isZero();
    assertThat(logs.out()).contains("Caused by: java.nio.file.NoSuchFileException: /nonexistent/hello.conf");
    assertThat(CliTestSupport.cli("logs", "--file", model, "canary").out()).doesNotContain("NoSuchFileException");
  }

  @Test
  @Order(8)
  void deployWait_blueGreen_returnsOnceLive_sayingUntilWhenThePreviousStaysWarm_whichStatusShows() throws Exception {
    CliTestSupport.Result r = CliTestSupport.cli("deploy", "-f", model, "bluegreen", "--version", "b5", "--wait",
        "--timeout", "3m");

    assertThat(r.code()).as(r.output()).isZero();
    assertThat(r.out()).as(r.output()).contains("deploy: bluegreen is live after",
        "bluegreen-r5 (b5) takes all traffic; bluegreen-r3 (b3) stays warm until",
        "`slipway rollback bluegreen` switches back at once");
    StatusView.ServiceView s = service("bluegreen");
    // It returned within the 8 s rollback window: the rollout still keeps the previous release warm.
    assertThat(s.rollout()).isNotNull();
    assertThat(s.rollout().warmUntil()).isNotNull();
    assertThat(java.time.Instant.parse(s.rollout().warmUntil())).isAfter(java.time.Instant.now());
    assertThat(s.version()).isEqualTo("b5");
    assertThat(s.release()).isEqualTo("bluegreen-r5");
    assertThat(s.weights()).containsEntry("bluegreen-r5", 100);
    CliTestSupport.Result json = CliTestSupport.cli("status", "-f", model, "--json");
    com.fasterxml.jackson.databind.JsonNode bg = null;
    for (com.fasterxml.jackson.databind.JsonNode n : CliTestSupport.JSON.readTree(json.out()).get("services")) {
      bg = n.get("name").asText().equals("bluegreen") ? n : bg;
    }
    assertThat(bg.get("version").asText()).isEqualTo("b5");
    assertThat(bg.at("/rollout/fromVersion").asText()).isEqualTo("b3");
    CliTestSupport.Result text = CliTestSupport.cli("status", "-f", model);
    assertThat(text.out()).as(text.out()).contains("b5 (b3 warm)", "bluegreen-r3 (b3) stays warm until");

    DeploymentView end = awaitTerminal("bluegreen", s.rollout().id());
    assertThat(end.state()).isEqualTo("succeeded");
    assertThat(service("bluegreen").rollout()).isNull();
  }

  private static void awaitWeight(String service, String release, int weight, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Integer.valueOf(weight).equals(service(service).weights().get(release))) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(service + " never sent " + weight + "% to " + release);
  }

  private static DeploymentView awaitTerminal(String service, long id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      for (DeploymentView d : client.get(ReleaseCommands.path(service, "history"), HistoryView.class).deployments()) {
        if (d.id() == id && TERMINAL.contains(d.state())) {
          return d;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("deployment #" + id + " did not end");
  }

  private static String url(String service) {
    return service(service).url();
  }

  private static StatusView.ServiceView service(String name) {
    return client.status().services().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }
}
