package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The bundled example, for real: embedded PostgreSQL and Redis, the api, web and worker built with
 * Maven and run as supervised processes, driven through the CLI exactly as a user would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShopStackIT {
  private static Path work;
  @org.junit.jupiter.api.extension.RegisterExtension
  static final StackDiagnostics DIAGNOSTICS = new StackDiagnostics(() -> work);
  private static Path model;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final List<Integer> portsSeen = new ArrayList<>();
  private static final List<Long> pidsSeen = new ArrayList<>();

  @BeforeAll
  static void copyExample() throws IOException {
    work = CliTestSupport.copyExample("slipway-shop-it");
    model = work.resolve("slipway.yaml");
  }

  @AfterAll
  static void stopEverything() {
    if (model != null) {
      cli("down", "-f", model.toString(), "--volumes");
    }
  }

  @Test
  @Order(1)
  void up_detach_returnsOnceEverythingIsReady_andStatusShowsAllHealthy() throws Exception {
    CliTestSupport.Result up = cli("up", "-f", model.toString(), "--detach");
    assertThat(up.code()).as(up.output()).isZero();
    assertThat(up.out()).contains("shop is ready");

    JsonNode status = status();
    for (String service : List.of("api", "web", "worker")) {
      JsonNode s = find(status.get("services"), service);
      assertThat(s.get("healthy").asBoolean()).as(service + " in " + status).isTrue();
      assertThat(s.get("state").asText()).isEqualTo("ready");
      assertThat(s.get("restarts").asInt()).isZero();
      assertThat(s.get("version").asText()).matches("[0-9a-f]{12}");
      for (JsonNode inst : s.get("instances")) {
        portsSeen.add(inst.get("port").asInt());
        pidsSeen.add(inst.get("pid").asLong());
      }
    }
    for (String resource : List.of("db", "cache")) {
      JsonNode r = find(status.get("resources"), resource);
      assertThat(r.get("healthy").asBoolean()).as(resource).isTrue();
      portsSeen.add(r.get("port").asInt());
      pidsSeen.add(r.get("pid").asLong());
    }
    assertThat(find(status.get("services"), "worker").get("url").isNull()).isTrue();
    JsonNode secrets = CliTestSupport.JSON.readTree(work.resolve(".slipway/secrets.json").toFile());
    assertThat(secrets.size()).isPositive();
    secrets.fields().forEachRemaining(e -> assertThat(status.toString()).doesNotContain(e.getValue().asText()));
  }

  @Test
  @Order(2)
  void order_postedToTheApi_isProcessedByTheWorkerWithin5s() throws Exception {
    String api = find(status().get("services"), "api").get("url").asText();
    HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/orders"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"item\":\"book\",\"quantity\":2}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).isEqualTo(201);
    long id = CliTestSupport.JSON.readTree(created.body()).get("id").asLong();

    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    String state = "";
    while (System.nanoTime() < deadline && !state.equals("PROCESSED")) {
      HttpResponse<String> got = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/orders/" + id)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode order = CliTestSupport.JSON.readTree(got.body());
      state = order.get("status").asText();
      assertThat(order.get("item").asText()).isEqualTo("book");
      Thread.sleep(50);
    }
    assertThat(state).isEqualTo("PROCESSED");
  }

  @Test
  @Order(3)
  void kill9_ofTheApiProcess_isRestartedAndReadyWithin5s_withOneRestart() throws Exception {
    JsonNode api = find(status().get("services"), "api");
    long leader = api.get("instances").get(0).get("pid").asLong();
    // The JVM itself: the process a user would find with ps and kill.
    ProcessHandle jvm = ProcessHandle.of(leader).flatMap(h -> h.info().command().filter(c -> c.endsWith("java"))
        .map(c -> h)).or(() -> ProcessHandle.of(leader).flatMap(h -> h.children().findFirst())).orElseThrow();
    long killedAt = System.nanoTime();
    new ProcessBuilder("kill", "-9", Long.toString(jvm.pid())).start().waitFor();

    long deadline = killedAt + Duration.ofSeconds(5).toNanos();
    JsonNode now = null;
    while (System.nanoTime() < deadline) {
      now = find(status().get("services"), "api");
      if (now.get("healthy").asBoolean() && now.get("restarts").asInt() == 1) {
        break;
      }
      Thread.sleep(50);
    }
    assertThat(now.get("restarts").asInt()).as(now.toString()).isEqualTo(1);
    assertThat(now.get("healthy").asBoolean()).as(now.toString()).isTrue();
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(now.get("url").asText() + "/health/ready")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
    pidsSeen.add(now.get("instances").get(0).get("pid").asLong());
  }

  @Test
  @Order(4)
  void logs_showTheServiceOutput_withoutSecrets() throws Exception {
    CliTestSupport.Result logs = cli("logs", "--file", model.toString(), "api", "--tail", "50");
    assertThat(logs.code()).as(logs.output()).isZero();
    assertThat(logs.out()).isNotBlank();
    JsonNode secrets = CliTestSupport.JSON.readTree(work.resolve(".slipway/secrets.json").toFile());
    secrets.fields().forEachRemaining(e -> assertThat(logs.out()).doesNotContain(e.getValue().asText()));
  }

  @Test
  @Order(5)
  void lint_sizesResourcesFromWhatTheRunningStackWasMeasuredToUse() throws Exception {
    Path usage = work.resolve(".slipway/state/usage.json");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode measured = null;
    while (System.nanoTime() < deadline) {
      measured = Files.exists(usage) ? CliTestSupport.JSON.readTree(usage.toFile()).get("services") : null;
      // The first write comes two samples after start (a JVM may not have started yet), the next 10 s later.
      JsonNode m = measured;
      if (m != null && List.of("api", "web", "worker").stream().allMatch(s -> m.has(s) && m.get(s).get("samples").asLong() >= 3)) {
        break;
      }
      Thread.sleep(250);
    }
    assertThat(measured).as("measurements in " + usage).isNotNull();
    for (String service : List.of("api", "web", "worker")) {
      JsonNode m = measured.get(service);
      assertThat(m).as(service + " in " + measured).isNotNull();
      // A JVM holds tens of MiB at least; the tree is sh plus java.
      assertThat(m.get("peakRssBytes").asLong()).as(service).isGreaterThan(30L << 20);
      assertThat(m.get("releases").get(0).asText()).startsWith(service + "-");
    }
    long workerPeak = Math.max(measured.get("worker").get("peakRssBytes").asLong(),
        measured.get("worker").get("peakHwmBytes").asLong());
    String original = Files.readString(model);
    // The worker without resources, web below what it uses: lint must size both from the measurements.
    Files.writeString(model, original
        .replace("    resources: { cpu: 250m, memory: 256Mi }\n    dependsOn: { db: healthy, cache: healthy }",
            "    dependsOn: { db: healthy, cache: healthy }")
        .replace("    resources: { cpu: 250m, memory: 256Mi }\n    dependsOn: { api: healthy }",
            "    resources: { cpu: 250m, memory: 16Mi }\n    dependsOn: { api: healthy }"));
    try {
      CliTestSupport.Result lint = cli("lint", "-f", model.toString(), "--env", "production");

      assertThat(lint.code()).as(lint.output()).isEqualTo(1);
      assertThat(lint.out()).contains("services.web.resources.memory: resources.memory.belowMeasured: Deployment web "
          + "container web is limited to 16Mi of memory, but one instance reached");
      java.util.regex.Matcher fix = java.util.regex.Pattern.compile("services\\.worker\\.resources: "
          + "resources\\.requests\\.memory: .*\\n  fix: add `resources: \\{ cpu: \\S+, memory: (\\d+)Mi \\}` "
          + "\\(measured locally: peak RSS \\d+Mi").matcher(lint.out());
      assertThat(fix.find()).as(lint.out()).isTrue();
      assertThat(Long.parseLong(fix.group(1)) << 20).as("never tighter than what was seen").isGreaterThanOrEqualTo(workerPeak);
      assertThat(lint.out()).contains("measured locally: api peak RSS");
    } finally {
      Files.writeString(model, original);
    }
  }

  @Test
  @Order(6)
  void deploy_withAWrongDatabasePassword_isRolledBack_showingPostgresqlsAnswer() throws Exception {
    CliTestSupport.Result r = cli("deploy", "-f", model.toString(), "api", "--set", "DATABASE_PASSWORD=not-the-password",
        "--wait", "--timeout", "3m");

    assertThat(r.code()).as(r.output()).isEqualTo(1);
    assertThat(r.out()).as(r.output()).contains("FATAL: password authentication failed for user",
        "deploy: api rolled-back after");
    assertThat(r.out()).containsPattern("rolled back to api-r1: candidate api-r2-1 keeps crashing \\(\\d+ exits\\): "
        + ".*FATAL: password authentication failed");
    JsonNode api = find(status().get("services"), "api");
    assertThat(api.get("release").asText()).isEqualTo("api-r1");
    assertThat(api.at("/lastRollout/state").asText()).isEqualTo("rolled-back");
  }

  @Test
  @Order(7)
  void down_leavesNoProcessOfTheStack_andFreesEveryPort() throws Exception {
    CliTestSupport.Result down = cli("down", "-f", model.toString());
    assertThat(down.code()).as(down.output()).isZero();

    for (long pid : pidsSeen) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid).isFalse();
    }
    assertThat(CliTestSupport.processesMentioning(work.toString())).isEmpty();
    assertThat(CliTestSupport.processesInGroups(pidsSeen)).isEmpty();
    for (int port : portsSeen) {
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress("127.0.0.1", port));
      }
    }
    CliTestSupport.Result status = cli("status", "-f", model.toString(), "--json");
    assertThat(CliTestSupport.JSON.readTree(status.out()).get("state").asText()).isEqualTo("stopped");
  }

  private static JsonNode status() throws IOException {
    CliTestSupport.Result r = cli("status", "-f", model.toString(), "--json");
    assertThat(r.code()).as(r.output()).isZero();
    return CliTestSupport.JSON.readTree(r.out());
  }

  private static JsonNode find(JsonNode array, String name) {
    for (JsonNode n : array) {
      if (n.get("name").asText().equals(name)) {
        return n;
      }
    }
    throw new AssertionError("no " + name + " in " + array);
  }

  private static CliTestSupport.Result cli(String... args) {
    return CliTestSupport.cli(args);
  }
}
