package dev.slipway.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.api.ApiPaths;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Queued deploys cannot starve the control plane. It runs in a JVM of its own with two carrier threads
 * for all its virtual threads, as on a 2-core host; with a rollout paused for a person, several
 * {@code deploy --queue} requests wait their turn, and meanwhile {@code /health}, {@code status},
 * {@code promote} and {@code abort} still answer at once. (On JDK 21 a queued deploy that waited inside
 * {@code synchronized} pinned its carrier: two of them and nothing answered. JDK 25 no longer pins, so
 * ArchitectureTest is what keeps monitors out of the control plane; this test keeps the queue honest.)
 */
class QueuedDeploysIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration PROMPT = Duration.ofSeconds(3);
  private static Path dir;
  private static Process plane;
  private static String base;
  private static String token;

  @BeforeAll
  static void startControlPlaneWithTwoCarriers() throws Exception {
    dir = Files.createTempDirectory("slipway-queue-it");
    Files.copy(Path.of(QueuedDeploysIT.class.getResource("/api/Echo.java").toURI()), dir.resolve("Echo.java"));
    String java = ProcessHandle.current().info().command().orElse("java");
    Files.writeString(dir.resolve("slipway.yaml"), """
        name: queue
        services:
          echo:
            run: "%s Echo.java"
            port: 8080
            health: { ready: /ready, startupTimeout: 60s }
            env: { TOKEN: plain }
            strategy: { canary: { steps: [ { setWeight: 50 }, { pause: {} } ] } }
        environments:
          dev: { target: local }
        """.formatted(java));
    plane = new ProcessBuilder(java, "-Djdk.virtualThreadScheduler.parallelism=2",
        "-Djdk.virtualThreadScheduler.maxPoolSize=2", "-cp", System.getProperty("java.class.path"),
        ControlPlaneMain.class.getName(), "--file", dir.resolve("slipway.yaml").toString(), "--env", "dev")
        .redirectErrorStream(true).redirectOutput(dir.resolve("control-plane.log").toFile()).start();
    Path info = dir.resolve(".slipway").resolve(ApiPaths.INFO_FILE);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(info) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    base = "http://127.0.0.1:" + Json.MAPPER.readTree(info.toFile()).get("port").asInt();
    token = Files.readString(dir.resolve(".slipway").resolve(ApiPaths.TOKEN_FILE));
    await("the stack is ready", () -> get(ApiPaths.STATUS).body().contains("\"state\":\"ready\""), Duration.ofSeconds(90));
  }

  @AfterAll
  static void stop() throws Exception {
    if (plane != null && plane.isAlive()) {
      send(post(ApiPaths.DOWN, "{}"), Duration.ofSeconds(10));
      if (!plane.waitFor(60, TimeUnit.SECONDS)) {
        plane.destroyForcibly();
      }
    }
  }

  @Test
  void withTwoCarriersAndFourQueuedDeploys_healthStatusPromoteAndAbortStillAnswerAtOnce() throws Exception {
    assertThat(Files.readString(Path.of("/proc", Long.toString(plane.pid()), "cmdline")))
        .contains("-Djdk.virtualThreadScheduler.parallelism=2");
    JsonNode first = Json.MAPPER.readTree(send(post(ApiPaths.SERVICES + "echo/deploy",
        "{\"set\":{\"MARK\":\"1\"}}"), PROMPT).body());
    await("the first rollout pauses for a person", () -> rollout().path("state").asText().equals("paused"),
        Duration.ofSeconds(90));

    List<CompletableFuture<HttpResponse<String>>> queued = new ArrayList<>();
    for (int i = 2; i <= 5; i++) {
      queued.add(HTTP.sendAsync(post(ApiPaths.SERVICES + "echo/deploy", "{\"set\":{\"MARK\":\"" + i + "\"},\"queue\":true}")
          .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString()));
    }
    Thread.sleep(1500); // the queued deploys are all waiting now
    assertThat(queued).noneMatch(CompletableFuture::isDone);

    for (int i = 0; i < 5; i++) {
      assertThat(send(HttpRequest.newBuilder(URI.create(base + ApiPaths.HEALTH)), PROMPT).statusCode()).isEqualTo(200);
    }
    assertThat(send(request(ApiPaths.STATUS), PROMPT).statusCode()).isEqualTo(200);
    HttpResponse<String> promoted = send(post(ApiPaths.SERVICES + "echo/promote", "{\"full\":true}"), PROMPT);
    assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
    await("the first rollout succeeds", () -> deployment(first.get("id").asLong()).path("state").asText()
        .equals("succeeded"), Duration.ofSeconds(90));

    CompletableFuture.anyOf(queued.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    HttpResponse<String> second = queued.stream().filter(CompletableFuture::isDone).findFirst().orElseThrow().join();
    assertThat(second.statusCode()).as(second.body()).isEqualTo(202);
    long secondId = Json.MAPPER.readTree(second.body()).get("id").asLong();
    await("the next queued deploy pauses", () -> deployment(secondId).path("state").asText().equals("paused"),
        Duration.ofSeconds(90));
    assertThat(queued.stream().filter(CompletableFuture::isDone).count()).as("one at a time").isEqualTo(1);
    HttpResponse<String> aborted = send(post(ApiPaths.SERVICES + "echo/abort", ""), PROMPT);
    assertThat(aborted.statusCode()).as(aborted.body()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(aborted.body()).get("phase").asText()).isEqualTo("rolling-back");
    assertThat(send(HttpRequest.newBuilder(URI.create(base + ApiPaths.HEALTH)), PROMPT).statusCode()).isEqualTo(200);
  }

  private static JsonNode rollout() throws Exception {
    return Json.MAPPER.readTree(get(ApiPaths.STATUS).body()).get("services").get(0).path("rollout");
  }

  private static JsonNode deployment(long id) throws Exception {
    for (JsonNode d : Json.MAPPER.readTree(get(ApiPaths.SERVICES + "echo/history").body()).get("deployments")) {
      if (d.get("id").asLong() == id) {
        return d;
      }
    }
    return Json.MAPPER.createObjectNode();
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void await(String what, Check check, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!check.holds()) {
      assertThat(System.nanoTime()).as(what + " within " + timeout + "; see " + dir.resolve("control-plane.log"))
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return send(request(path), Duration.ofSeconds(10));
  }

  /** Sends and insists on an answer within {@code within}: a control plane without a free carrier gives none. */
  private static HttpResponse<String> send(HttpRequest.Builder request, Duration within) throws Exception {
    return HTTP.send(request.timeout(within).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder post(String path, String body) {
    return request(path).POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token);
  }
}
