package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What happens around a running stack: data across down/up, a control plane killed with -9, SIGTERM
 * to an attached {@code up}, a service that crashes at start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackLifecycleIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Path work;
  @org.junit.jupiter.api.extension.RegisterExtension
  static final StackDiagnostics DIAGNOSTICS = new StackDiagnostics(() -> work);
  private static String model;

  @BeforeAll
  static void copyExample() throws IOException {
    work = CliTestSupport.copyExample("slipway-lifecycle-it");
    model = work.resolve("slipway.yaml").toString();
  }

  @AfterAll
  static void cleanUp() {
    CliTestSupport.cli("down", "-f", model, "--volumes");
  }

  @Test
  @Order(1)
  void data_survivesDownAndUp_butNotDownWithVolumes() throws Exception {
    up();
    long id = placeOrder();
    assertThat(CliTestSupport.cli("down", "-f", model).code()).isZero();

    up();
    assertThat(getOrder(id).statusCode()).isEqualTo(200);
    CliTestSupport.Result down = CliTestSupport.cli("down", "-f", model, "--volumes");
    assertThat(down.code()).as(down.output()).isZero();
    assertThat(work.resolve(".slipway/data/db")).doesNotExist();

    up();
    assertThat(getOrder(id).statusCode()).isEqualTo(404);
  }

  @Test
  @Order(2)
  void up_whenAlreadyRunning_saysSoAndChangesNothing() {
    long before = pidOf("api");
    CliTestSupport.Result again = CliTestSupport.cli("up", "-f", model, "--detach");
    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("shop is already up");
    assertThat(pidOf("api")).isEqualTo(before);
  }

  @Test
  @Order(3)
  void kill9OfTheControlPlane_nextUpTakesOverTheRunningStack_andDownAfterAnotherKillLeavesNothing() throws Exception {
    List<Long> old = allPids();
    String api = apiUrl();
    CliTestSupport.kill("KILL", CliTestSupport.controlPlanePid(work));
    Thread.sleep(300);
    // The data plane outlives its control plane: everything still runs and serves.
    for (long pid : old) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid).isTrue();
    }
    assertThat(CliTestSupport.cli("status", "-f", model, "--json").out()).contains("\"state\" : \"stopped\"");
    assertThat(placeOrder(api)).isPositive();

    up();
    // Taken over, not restarted: the same processes serve.
    assertThat(allPids()).containsExactlyInAnyOrderElementsOf(old);
    assertThat(placeOrder()).isPositive();

    CliTestSupport.kill("KILL", CliTestSupport.controlPlanePid(work));
    CliTestSupport.Result down = CliTestSupport.cli("down", "-f", model);
    assertThat(down.code()).as(down.output()).isZero();
    assertThat(CliTestSupport.processesInGroups(old)).isEmpty();
    assertThat(CliTestSupport.processesMentioning(work.toString())).isEmpty();
  }

  @Test
  @Order(4)
  void sigtermToAnAttachedUp_stopsEverythingInReverseOrder() throws Exception {
    Path log = Files.createTempFile("slipway-up", ".log");
    Process up = CliTestSupport.cliProcess(log, "up", "-f", model);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && !Files.readString(log).contains("shop is ready")) {
      assertThat(up.isAlive()).as(Files.readString(log)).isTrue();
      Thread.sleep(100);
    }
    List<Long> pids = allPids();
    long controlPlane = CliTestSupport.controlPlanePid(work);

    CliTestSupport.kill("TERM", up.pid());

    assertThat(up.waitFor(60, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
    String output = Files.readString(log);
    assertThat(output).contains("stopping shop", "shop stopped");
    assertThat(output.indexOf("stopped web")).isLessThan(output.indexOf("stopped api"));
    assertThat(output.indexOf("stopped api")).isLessThan(output.indexOf("stopped db"));
    assertThat(CliTestSupport.processesInGroups(pids)).isEmpty();
    assertThat(ProcessHandle.of(controlPlane).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  @Order(5)
  void up_whenAServiceCrashesAtStart_failsWithItsLogLines_andLeavesNothingRunning() throws Exception {
    Path yaml = work.resolve("slipway.yaml");
    String original = Files.readString(yaml);
    Files.writeString(yaml, original.replace("      API_URL: ${services.api.url}",
        "      API_URL: ${services.api.url}\n      FAULT_CRASH_ON_START: \"1\""));
    try {
      CliTestSupport.Result up = CliTestSupport.cli("up", "-f", model, "--detach");
      assertThat(up.code()).as(up.output()).isEqualTo(1);
      assertThat(up.out()).contains("web keeps crashing").contains("| ").contains("FAULT_CRASH_ON_START");
      // The failure names its cause, counted in exits like every other report of a crash loop.
      assertThat(up.out()).containsPattern("web keeps crashing \\(\\d+ exits\\) and never became ready: "
          + "\\S+ web ERROR FAULT_CRASH_ON_START is set");
      assertThat(CliTestSupport.processesMentioning(work.toString())).isEmpty();
      assertThat(CliTestSupport.cli("status", "-f", model, "--json").out()).contains("\"state\" : \"stopped\"");
    } finally {
      Files.writeString(yaml, original);
    }
  }

  @Test
  @Order(6)
  void down_whenTheControlPlaneIsFrozen_killsItAndStopsEverything() throws Exception {
    up();
    List<Long> pids = allPids();
    long controlPlane = CliTestSupport.controlPlanePid(work);
    CliTestSupport.kill("STOP", controlPlane);

    CliTestSupport.Result down = CliTestSupport.cli("down", "-f", model);

    assertThat(down.code()).as(down.output()).isZero();
    assertThat(down.out()).contains("the control plane (pid " + controlPlane + ") does not answer; killing it");
    assertThat(CliTestSupport.processesInGroups(pids)).isEmpty();
    assertThat(CliTestSupport.processesMentioning(work.toString())).isEmpty();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline && ProcessHandle.of(controlPlane).map(ProcessHandle::isAlive).orElse(false)) {
      Thread.sleep(50);
    }
    assertThat(ProcessHandle.of(controlPlane).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  private static void up() {
    CliTestSupport.Result up = CliTestSupport.cli("up", "-f", model, "--detach");
    assertThat(up.code()).as(up.output()).isZero();
  }

  private static String apiUrl() throws IOException {
    return service("api").get("url").asText();
  }

  private static JsonNode service(String name) throws IOException {
    JsonNode status = CliTestSupport.JSON.readTree(CliTestSupport.cli("status", "-f", model, "--json").out());
    for (JsonNode s : status.get("services")) {
      if (s.get("name").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no service " + name + " in " + status);
  }

  private static long pidOf(String name) {
    try {
      return service(name).get("instances").get(0).get("pid").asLong();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<Long> allPids() throws IOException {
    JsonNode status = CliTestSupport.JSON.readTree(CliTestSupport.cli("status", "-f", model, "--json").out());
    List<Long> pids = new ArrayList<>();
    status.get("services").forEach(s -> s.get("instances").forEach(i -> pids.add(i.get("pid").asLong())));
    status.get("resources").forEach(r -> pids.add(r.get("pid").asLong()));
    return pids;
  }

  private static long placeOrder() throws Exception {
    return placeOrder(apiUrl());
  }

  private static long placeOrder(String api) throws Exception {
    HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/orders"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"item\":\"kept\",\"quantity\":1}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).isEqualTo(201);
    return CliTestSupport.JSON.readTree(created.body()).get("id").asLong();
  }

  private static HttpResponse<String> getOrder(long id) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(apiUrl() + "/orders/" + id)).timeout(Duration.ofSeconds(5))
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
