package dev.slipway.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.slipway.generate.Generated.ReportLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

class ComposeGeneratorTest {
  private final ComposeGenerator generator = new ComposeGenerator();

  @TempDir
  Path out;

  @Test
  void dockerComposeConfig_acceptsTheExample_withHealthchecksAndDependencyConditions() throws Exception {
    ShopExample.write(ShopExample.generate(generator, ShopExample.FILE, "production"), out);
    Files.copy(out.resolve("compose/.env.example"), out.resolve("compose/.env"));

    Map<String, Object> config = yaml(dockerCompose("config"));

    Map<String, Object> services = map(config.get("services"));
    assertThat(services).containsKeys("db", "cache", "api", "web", "worker");
    assertThat(map(services.get("prometheus")).get("profiles")).isEqualTo(List.of("observability"));
    assertThat(map(services.get("grafana")).get("profiles")).isEqualTo(List.of("observability"));
    Map<String, Object> api = map(services.get("api"));
    assertThat(api.get("image")).isEqualTo("ghcr.io/acme/shop-api:1.0.0");
    assertThat(map(api.get("healthcheck")).get("test"))
        .isEqualTo(List.of("CMD-SHELL", "curl -fsS http://localhost:8080/health/ready || exit 1"));
    assertThat(map(map(api.get("depends_on")).get("db")).get("condition")).isEqualTo("service_healthy");
    assertThat(map(map(api.get("depends_on")).get("cache")).get("condition")).isEqualTo("service_healthy");
    assertThat(map(map(map(services.get("web")).get("depends_on")).get("api")).get("condition")).isEqualTo("service_healthy");
    assertThat(map(services.get("db")).get("healthcheck")).isNotNull();
    assertThat(map(services.get("cache")).get("healthcheck")).isNotNull();
    assertThat(map(config.get("volumes"))).containsKeys("db-data", "cache-data");
    Map<String, Object> apiEnv = map(api.get("environment"));
    assertThat(apiEnv).containsEntry("DATABASE_URL", "jdbc:postgresql://db:5432/shop")
        .containsEntry("DATABASE_USER", "shop")
        .containsEntry("REDIS_URL", "redis://default:@cache:6379");
    assertThat(map(map(services.get("web")).get("environment"))).containsEntry("API_URL", "http://api:8080");
  }

  @Test
  void observabilityProfile_addsPrometheusAndGrafana_scrapingEveryService() throws Exception {
    Generated g = ShopExample.generate(generator, ShopExample.FILE, "production");
    ShopExample.write(g, out);
    Files.copy(out.resolve("compose/.env.example"), out.resolve("compose/.env"));

    String services = dockerCompose("--profile", "observability", "config", "--services");

    assertThat(services.lines()).contains("prometheus", "grafana", "api");
    Map<String, Object> prometheus = yaml(g.files().get("compose/prometheus.yml"));
    List<Object> jobs = list(prometheus.get("scrape_configs"));
    assertThat(jobs).extracting(j -> map(j).get("job_name")).containsExactly("api", "web", "worker");
    assertThat(yaml(g.files().get("compose/grafana-datasources.yml")).toString()).contains("http://prometheus:9090");
  }

  @Test
  void servicesSharingAContainerPort_arePublishedOnDistinctLoopbackPorts() throws Exception {
    Map<String, Object> services = services(ShopExample.generate(generator, ShopExample.FILE, "production"));

    assertThat(map(services.get("api")).get("ports")).isEqualTo(List.of("127.0.0.1:8080:8080"));
    assertThat(map(services.get("web")).get("ports")).isEqualTo(List.of("127.0.0.1:8081:8080"));
    assertThat(map(services.get("db"))).doesNotContainKey("ports");
  }

  @Test
  void serviceWithoutPort_getsPort8080_forItsHealthcheck() throws Exception {
    Map<String, Object> worker = map(services(ShopExample.generate(generator, ShopExample.FILE, "production")).get("worker"));

    assertThat(map(worker.get("environment"))).containsEntry("PORT", "8080");
    assertThat(map(worker.get("healthcheck")).get("test").toString()).contains("http://localhost:8080/health/ready");
    assertThat(worker).doesNotContainKey("ports");
  }

  @Test
  void healthyDependencyOnServiceWithoutHealthPath_waitsForStartOnly_andReportsIt() throws Exception {
    Generated g = ShopExample.generate(generator, Path.of("src/test/resources/compose/no-health/slipway.yaml"), null);

    Map<String, Object> web = map(services(g).get("web"));
    assertThat(map(map(web.get("depends_on")).get("api")).get("condition")).isEqualTo("service_started");
    assertThat(map(services(g).get("api"))).doesNotContainKey("healthcheck");
    assertThat(g.report()).anySatisfy(l -> {
      assertThat(l.modelPath()).isEqualTo("services.web.dependsOn.api");
      assertThat(l.expressed()).isFalse();
    });
  }

  @Test
  void passwordsAndSecrets_areEnvFileVariables_listedWithoutValues() throws Exception {
    Generated g = ShopExample.generate(generator, ShopExample.FILE, "production");

    String example = g.files().get("compose/.env.example");
    assertThat(example.lines().filter(l -> !l.isBlank() && !l.startsWith("#")))
        .containsExactly("DB_PASSWORD=", "CACHE_PASSWORD=", "GRAFANA_ADMIN_PASSWORD=");
    assertThat(map(map(services(g).get("db")).get("environment")).get("POSTGRES_PASSWORD").toString())
        .startsWith("${DB_PASSWORD?");
  }

  @Test
  void report_saysWhatEachServiceFieldBecame_andWhatCouldNotBeExpressed() throws Exception {
    List<ReportLine> report = ShopExample.generate(generator, ShopExample.FILE, "production").report();

    assertThat(report).extracting(ReportLine::modelPath).contains("services.api.image", "services.api.port",
        "services.api.env.DATABASE_URL", "services.api.health.ready", "services.api.dependsOn.db",
        "services.api.resources.cpu", "services.api.resources.memory", "resources.db", "resources.cache");
    assertThat(report).filteredOn(l -> !l.expressed()).extracting(ReportLine::modelPath)
        .contains("services.api.ingress", "services.api.strategy", "services.api.replicas", "services.api.build");
  }

  @Test
  void literalDollarSigns_areEscaped_andExternalResourcesAreNotStarted() throws Exception {
    Generated g = ShopExample.generate(generator, Path.of("src/test/resources/secrets/slipway.yaml"), "production");
    ShopExample.write(g, out);
    Files.copy(out.resolve("compose/.env.example"), out.resolve("compose/.env"));

    Map<String, Object> services = map(yaml(dockerCompose("config")).get("services"));

    assertThat(services).doesNotContainKey("db");
    Map<String, Object> api = map(services.get("api"));
    assertThat(api).doesNotContainKey("depends_on");
    assertThat(map(api.get("environment")).get("LITERAL").toString()).isIn("costs $$5 and $${HOME}", "costs $5 and ${HOME}");
    assertThat(g.report()).anySatisfy(l -> assertThat(l.modelPath()).isEqualTo("services.api.dependsOn.db"));
  }

  @Test
  void generatingTwice_givesIdenticalBytes() throws Exception {
    Generated first = ShopExample.generate(generator, ShopExample.FILE, "production");
    Generated second = ShopExample.generate(generator, ShopExample.FILE, "production");

    assertThat(second.files()).isEqualTo(first.files());
  }

  private String dockerCompose(String... args) throws IOException, InterruptedException {
    String exe = Path.of("/usr/bin/docker-compose").toFile().canExecute() ? "/usr/bin/docker-compose" : "docker-compose";
    List<String> command = new java.util.ArrayList<>(List.of(exe, "-f", out.resolve("compose/docker-compose.yml").toString()));
    command.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(false).start();
    } catch (IOException e) {
      return fail("docker-compose is not installed; run bin/setup-test-machine as root "
          + "(apt-get install -y --no-install-recommends docker-compose): " + e.getMessage());
    }
    p.getOutputStream().close();
    byte[] stdout = p.getInputStream().readAllBytes();
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("docker-compose finished").isTrue();
    assertThat(p.exitValue()).as("docker-compose %s exit code; stderr:%n%s", String.join(" ", args), stderr).isZero();
    return new String(stdout, StandardCharsets.UTF_8);
  }

  private static Map<String, Object> services(Generated g) {
    return map(yaml(g.files().get("compose/docker-compose.yml")).get("services"));
  }

  static Map<String, Object> yaml(String text) {
    return new Yaml().load(text);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    assertThat(o).isInstanceOf(List.class);
    return (List<Object>) o;
  }
}
