package dev.slipway.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.api.ApiPaths;
import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.model.AppSpec;
import dev.slipway.model.ModelLoader;
import dev.slipway.local.LocalTarget;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The control plane's HTTP API against a real (small) stack: a service run from a Java source file. */
class ApiServerIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String TOKEN_VALUE = "tok-9f8e7d6c5b4a";
  private static Path dir;
  private static CompletableFuture<Integer> plane;
  private static String base;
  private static String token;

  @BeforeAll
  static void startControlPlane() throws Exception {
    dir = Files.createTempDirectory("slipway-api-it");
    Files.copy(Path.of(ApiServerIT.class.getResource("/api/Echo.java").toURI()), dir.resolve("Echo.java"));
    Files.writeString(dir.resolve("token.txt"), TOKEN_VALUE + "\n");
    String java = ProcessHandle.current().info().command().orElse("java");
    Files.writeString(dir.resolve("slipway.yaml"), """
        name: echo
        secrets:
          token: file:token.txt
        services:
          echo:
            run: "%s Echo.java"
            port: 8080
            health: { ready: /ready, startupTimeout: 30s }
            env: { TOKEN: "${secrets.token}" }
        environments:
          dev: { target: local }
        """.formatted(java));
    AppSpec app = ModelLoader.load(dir.resolve("slipway.yaml"), "dev");
    SecretMasker masker = new SecretMasker();
    LocalTarget target = new LocalTarget(app.name(), app.baseDir(), app.stateDir(), masker);
    PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
    plane = CompletableFuture.supplyAsync(() -> {
      try {
        var store = dev.slipway.store.StateStore.open(null, app.stateDir());
        var lease = dev.slipway.engine.EnvironmentLease.acquire(store, app.environment(), "ApiServerIT", line -> { });
        return new ControlPlane(app, app.stateDir(), null, target, lease, masker, quiet).run(0);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Path info = dir.resolve(".slipway").resolve(ApiPaths.INFO_FILE);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(info) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    base = "http://127.0.0.1:" + json().readTree(info.toFile()).get("port").asInt();
    token = Files.readString(dir.resolve(".slipway").resolve(ApiPaths.TOKEN_FILE));
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && !get(ApiPaths.STATUS, true).body().contains("\"state\":\"ready\"")) {
      Thread.sleep(100);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (plane != null && !plane.isDone()) {
      post(ApiPaths.DOWN, "{}");
      plane.get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void health_needsNoToken() throws Exception {
    HttpResponse<String> r = get(ApiPaths.HEALTH, false);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json().readTree(r.body()).get("status").asText()).isEqualTo("UP");
  }

  @Test
  void status_withoutToken_is401_inTheOneErrorShape() throws Exception {
    HttpResponse<String> r = get(ApiPaths.STATUS, false);
    assertThat(r.statusCode()).isEqualTo(401);
    JsonNode e = json().readTree(r.body());
    assertThat(e.get("title").asText()).isEqualTo("Unauthorized");
    assertThat(e.get("status").asInt()).isEqualTo(401);
    assertThat(e.get("type").asText()).isEqualTo("unauthorized");
    assertThat(e.get("details").get(0).asText()).contains(".slipway/run/token");
  }

  @Test
  void status_showsTheReadyService_andNoSecret() throws Exception {
    HttpResponse<String> r = get(ApiPaths.STATUS, true);
    JsonNode s = json().readTree(r.body());
    assertThat(s.get("state").asText()).isEqualTo("ready");
    assertThat(s.get("services").get(0).get("healthy").asBoolean()).isTrue();
    assertThat(s.get("services").get(0).get("url").asText()).startsWith("http://127.0.0.1:");
    assertThat(r.body()).doesNotContain(TOKEN_VALUE);
  }

  @Test
  void unknownPath_and_unknownService_are404WithTheirType() throws Exception {
    assertThat(json().readTree(get("/api/v1/nope", true).body()).get("type").asText()).isEqualTo("unknown-path");
    HttpResponse<String> r = get(ApiPaths.SERVICES + "ech/logs", true);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json().readTree(r.body()).get("details").get(0).asText())
        .isEqualTo("no service named `ech`; services: echo");
  }

  @Test
  void wrongMethod_is405() throws Exception {
    assertThat(get(ApiPaths.DOWN, true).statusCode()).isEqualTo(405);
  }

  @Test
  void logs_tailTheServiceOutput_withSecretsMasked() throws Exception {
    HttpResponse<String> r = get(ApiPaths.SERVICES + "echo/logs?tail=1000", true);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("echo up; token=****").doesNotContain(TOKEN_VALUE);
  }

  @Test
  void logs_ofARelease_readItsInstancesFiles_andAReleaseOfNoSuchNameIs404() throws Exception {
    HttpResponse<String> r = get(ApiPaths.SERVICES + "echo/logs?tail=1000&release=echo-r1", true);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("echo up; token=****").doesNotContain(TOKEN_VALUE);

    HttpResponse<String> missing = get(ApiPaths.SERVICES + "echo/logs?release=echo-r9", true);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json().readTree(missing.body()).get("details").get(0).asText()).isEqualTo("no release echo-r9 of echo");
  }

  @Test
  void logs_follow_streamsNewLinesAsTheyAreWritten() throws Exception {
    HttpResponse<InputStream> r = HTTP.send(request(ApiPaths.SERVICES + "echo/logs?tail=0&follow=true", true).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String line = in.readLine();
      assertThat(line).startsWith("tick ");
    }
  }

  @Test
  void events_asJson_includeTheStackReadyEvent() throws Exception {
    JsonNode events = json().readTree(get(ApiPaths.EVENTS + "?after=0&follow=false", true).body());
    assertThat(events.findValuesAsText("kind")).contains("service-ready", "stack-ready");
    long last = events.get(events.size() - 1).get("seq").asLong();
    assertThat(json().readTree(get(ApiPaths.EVENTS + "?after=" + last + "&follow=false", true).body()).size()).isZero();
  }

  @Test
  void events_badAfterParameter_is400() throws Exception {
    HttpResponse<String> r = get(ApiPaths.EVENTS + "?after=x&follow=false", true);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("query parameter `after` must be a whole number");
  }

  private static HttpResponse<String> get(String path, boolean withToken) throws Exception {
    return HTTP.send(request(path, withToken).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(request(path, true).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(String path, boolean withToken) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    return withToken ? b.header("Authorization", "Bearer " + token) : b;
  }

  private static com.fasterxml.jackson.databind.ObjectMapper json() {
    return Json.MAPPER;
  }
}
