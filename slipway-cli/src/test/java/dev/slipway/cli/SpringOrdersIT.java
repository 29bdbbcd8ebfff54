package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.api.StatusView;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * examples/spring-orders, a Spring Boot service on PostgreSQL, driven through the CLI as its user
 * would: built by Maven, configured by SERVER_PORT and SPRING_DATASOURCE_*, probed on Actuator's
 * health groups, released by canary under load, a crashing release rolled back, files generated.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpringOrdersIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Path work;
  @org.junit.jupiter.api.extension.RegisterExtension
  static final StackDiagnostics DIAGNOSTICS = new StackDiagnostics(() -> work);
  private static String model;
  private static ControlPlaneClient client;

  @BeforeAll
  static void copyExample() throws IOException {
    work = CliTestSupport.copyExample("spring-orders", "slipway-spring-it");
    model = work.resolve("slipway.yaml").toString();
  }

  @AfterAll
  static void down() {
    if (model != null) {
      CliTestSupport.cli("down", "-f", model, "--volumes");
    }
  }

  @Test
  @Order(1)
  void up_buildsAndStartsTheSpringBootService_andAnOrderGoesThroughTheRouterIntoPostgres() throws Exception {
    CliTestSupport.Result up = CliTestSupport.cli("up", "-f", model, "--detach");
    assertThat(up.code()).as(up.output()).isZero();
    assertThat(up.out()).contains("spring-orders is ready");
    client = ControlPlaneClient.find(work.resolve(".slipway")).orElseThrow();
    StatusView.ServiceView orders = service();
    assertThat(orders.healthy()).as(orders.toString()).isTrue();
    assertThat(orders.restarts()).isZero();
    StatusView.ResourceView db = client.status().resources().getFirst();
    assertThat(db.healthy()).isTrue();

    // SERVER_PORT: ${self.port} reached Spring: Tomcat listens on the port Slipway allocated.
    int instancePort = orders.instances().getFirst().port();
    assertThat(get("http://127.0.0.1:" + instancePort + "/actuator/health/liveness").body()).contains("\"UP\"");

    HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(orders.url() + "/orders"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"item\":\"kettle\",\"quantity\":3}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue("X-Slipway-Version")).contains("orders-r1");
    long id = CliTestSupport.JSON.readTree(created.body()).get("id").asLong();
    assertThat(created.headers().firstValue("Location")).contains("/orders/" + id);
    JsonNode read = CliTestSupport.JSON.readTree(get(orders.url() + "/orders/" + id).body());
    assertThat(read.get("item").asText()).isEqualTo("kettle");

    // The row is in Slipway's PostgreSQL, in the table Flyway created, under the model's credentials.
    String password = secrets().get("resources.db.password").asText();
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + db.host() + ":" + db.port() + "/spring-orders",
        "spring-orders", password);
        PreparedStatement q = c.prepareStatement("SELECT item, quantity FROM orders WHERE id = ?")) {
      q.setLong(1, id);
      try (ResultSet rs = q.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("kettle");
        assertThat(rs.getInt(2)).isEqualTo(3);
      }
      try (ResultSet rs = c.createStatement().executeQuery("SELECT version FROM flyway_schema_history WHERE success")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("1");
      }
    }
    String readiness = get(orders.url() + "/actuator/health/readiness").body();
    assertThat(readiness).contains("\"UP\"");
    assertThat(get(orders.url() + "/actuator/prometheus").body())
        .contains("http_server_requests_seconds_bucket{", "uri=\"/orders/{id}\"");
  }

  @Test
  @Order(2)
  void canaryUnderLoad_isPromoted_withNoFailedRequest() throws Exception {
    try (LoadGenerator load = new LoadGenerator(URI.create(service().url() + "/orders"), 100, 4)) {
      load.start();
      CliTestSupport.Result r = CliTestSupport.cli("deploy", "-f", model, "orders", "--version", "v2", "--wait",
          "--timeout", "3m");
      load.close();
      assertThat(r.code()).as(r.output()).isZero();
      assertThat(r.out()).contains("set weight 20%", "analysis", "deploy: orders succeeded after");
      assertThat(load.failedExcept("none")).as(load.failures.toString()).isZero();
      assertThat(load.served.keySet()).contains("orders-r1", "orders-r2");
    }
    StatusView.ServiceView orders = service();
    assertThat(orders.version()).isEqualTo("v2");
    assertThat(orders.weights()).containsExactly(Map.entry("orders-r2", 100));
  }

  @Test
  @Order(3)
  void releaseWithAWrongDatasourcePassword_isRolledBackBeforeTakingTraffic_showingPostgresReason() throws Exception {
    CliTestSupport.Result r;
    try (LoadGenerator load = new LoadGenerator(URI.create(service().url() + "/orders"), 20, 1)) {
      load.start();
      r = CliTestSupport.cli("deploy", "-f", model, "orders", "--version", "v3-bad-password",
          "--set", "SPRING_DATASOURCE_PASSWORD=not-the-password", "--wait", "--timeout", "3m");
      load.close();
      assertThat(r.code()).as(r.output()).isEqualTo(1);
      assertThat(r.out()).contains("deploy: orders rolled-back after");
      assertThat(load.failedExcept("none")).as(load.failures.toString()).isZero();
      assertThat(load.served.keySet()).containsExactly("orders-r2");
    }
    StatusView.ServiceView orders = service();
    assertThat(orders.version()).isEqualTo("v2");
    assertThat(orders.weights()).containsExactly(Map.entry("orders-r2", 100));
    assertThat(r.output()).doesNotContain(secrets().get("resources.db.password").asText());
    // The cause Spring logged (a `Caused by: ... PSQLException: FATAL: ...` deep in the chain), not
    // the last line of the stack trace.
    assertThat(r.output()).contains("password authentication failed for user \"spring-orders\"");
  }

  @Test
  @Order(4)
  void generateAll_forProduction_leavesNoReferenceUnresolved_givesTheContainerPort_andBuildsTheImage() throws Exception {
    Path out = work.resolve("out");
    CliTestSupport.Result r = CliTestSupport.cli("generate", "all", "-f", model, "--env", "production", "-o", out.toString());
    assertThat(r.code()).as(r.output()).isZero();

    Set<String> composeVariables = composeVariables(out.resolve("compose/.env.example"));
    List<String> unresolved = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(out)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    // `$${` is Compose's escape for a literal `${`; the model here writes none, so any other `${` that
    // is neither a GitHub Actions expression nor a Compose variable of .env.example is ours, unresolved.
    Pattern dollar = Pattern.compile("(?<!\\$)\\$\\{(\\{)?([A-Za-z_][A-Za-z0-9_]*)?([^}\\n]{0,60})");
    for (Path f : files) {
      List<String> lines = Files.readAllLines(f);
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = dollar.matcher(lines.get(i));
        while (m.find()) {
          boolean actionsExpression = m.group(1) != null && out.relativize(f).startsWith(".github");
          boolean composeVariable = out.relativize(f).startsWith("compose") && m.group(2) != null
              && composeVariables.contains(m.group(2)) && m.group(3).startsWith("?");
          if (!actionsExpression && !composeVariable) {
            unresolved.add(out.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
          }
        }
      }
    }
    assertThat(unresolved).as("`${` left in generated files").isEmpty();

    String kubernetes = Files.readString(out.resolve("kubernetes/production/spring-orders.yaml"));
    assertThat(kubernetes).contains("/actuator/health/readiness", "/actuator/health/liveness", "SPRING_PROFILES_ACTIVE: production");
    // CI builds and pushes the service's image (how — Dockerfile, Jib or buildpacks — is the generator's choice).
    String ci = Files.readString(out.resolve(".github/workflows/ci.yml"));
    assertThat(ci).contains("ghcr.io/acme/spring-orders", "mvn -q -B package");
    buildsTheImage(ci);
    // ${self.port} is the container port in generated files.
    assertThat(kubernetes).containsPattern("SERVER_PORT: ['\"]?8080\\b");
    assertThat(Files.readString(out.resolve("compose/docker-compose.yml"))).containsPattern("SERVER_PORT[:=] ?['\"]?8080\\b");
  }

  /**
   * The image definition CI uses, built for real: ci.yml's Jib command for this service, with
   * {@code buildTar} for {@code dockerBuild} (no Docker engine here) and {@code scratch} for the JRE base
   * (no registry here). The image runs as a non-root user, exposes the container port and holds the
   * application's classes.
   */
  private static void buildsTheImage(String ci) throws Exception {
    Matcher jib = Pattern.compile("maven: (mvn .*jib-maven-plugin:[\\d.]+:dockerBuild.*)").matcher(ci);
    assertThat(jib.find()).as("a Jib build in ci.yml:\n" + ci).isTrue();
    String command = jib.group(1).replace(":dockerBuild", ":buildTar")
        .replaceAll("-Djib\\.from\\.image=\\S+", "-Djib.from.image=scratch")
        + " -q -Djib.to.image=ghcr.io/acme/spring-orders:sha-0123456789abcdef";
    Path log = work.resolve("jib.log");
    Process p = new ProcessBuilder("sh", "-c", command).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)).as("jib within 5 minutes").isTrue();
    assertThat(p.exitValue()).as(command + "\n" + Files.readString(log)).isZero();

    Path image = work.resolve("target/jib-image.tar");
    Path unpacked = Files.createDirectories(work.resolve("image"));
    assertThat(new ProcessBuilder("tar", "-xf", image.toString(), "-C", unpacked.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start().waitFor()).isZero();
    JsonNode manifest = CliTestSupport.JSON.readTree(unpacked.resolve("manifest.json").toFile()).get(0);
    JsonNode config = CliTestSupport.JSON.readTree(unpacked.resolve(manifest.get("Config").asText()).toFile())
        .get("config");
    assertThat(config.get("User").asText()).isEqualTo("10001:10001");
    assertThat(config.get("ExposedPorts").has("8080/tcp")).as(config.toString()).isTrue();
    assertThat(config.get("Entrypoint").toString()).contains("java");
    List<String> entries = new ArrayList<>();
    for (JsonNode layer : manifest.get("Layers")) {
      // GNU tar warns about Jib's pax headers on stderr: discarded, or a full pipe would block it
      Process list = new ProcessBuilder("tar", "-tzf", unpacked.resolve(layer.asText()).toString())
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      entries.addAll(new String(list.getInputStream().readAllBytes()).lines().toList());
      list.waitFor();
    }
    assertThat(entries).as("files in the image's layers").anyMatch(e -> e.endsWith("OrdersApplication.class"))
        .anyMatch(e -> e.contains("spring-boot-"));
  }

  private static Set<String> composeVariables(Path envExample) throws IOException {
    return Files.readAllLines(envExample).stream().filter(l -> l.matches("[A-Za-z_][A-Za-z0-9_]*=.*"))
        .map(l -> l.substring(0, l.indexOf('='))).collect(java.util.stream.Collectors.toSet());
  }

  private static JsonNode secrets() throws IOException {
    return CliTestSupport.JSON.readTree(work.resolve(".slipway/secrets.json").toFile());
  }

  private static HttpResponse<String> get(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
    return r;
  }

  private static StatusView.ServiceView service() {
    if (client == null) {
      throw new AssertionError("the stack is not up: see the first test, up_…");
    }
    return client.status().services().stream().filter(s -> s.name().equals("orders")).findFirst().orElseThrow();
  }
}
