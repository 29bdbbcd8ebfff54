package dev.slipway.model;

import static dev.slipway.model.Models.FILE;
import static dev.slipway.model.Models.errors;
import static dev.slipway.model.Models.fixture;
import static dev.slipway.model.Models.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLoaderTest {

  @Test
  void load_whenShopExample_bindsEveryRecord() {
    AppSpec app = ModelLoader.load(fixture("shop.yaml"), null);

    assertThat(app.name()).isEqualTo("shop");
    assertThat(app.environment()).isNull();
    assertThat(app.file()).isAbsolute().endsWith(Path.of("shop.yaml"));
    assertThat(app.services()).containsOnlyKeys("api", "web", "worker");
    assertThat(app.services().keySet()).containsExactly("api", "web", "worker");

    ServiceSpec api = app.service("api");
    assertThat(api.build()).isEqualTo(new BuildSpec("mvn -q package", List.of("api/src", "api/pom.xml"), List.of()));
    assertThat(api.run()).isEqualTo("java -jar api/target/api.jar");
    assertThat(api.image()).isEqualTo("ghcr.io/acme/shop-api");
    assertThat(api.port()).isEqualTo(8080);
    assertThat(api.health()).isEqualTo(new HealthSpec("/health/ready", "/health/live", Duration.ofSeconds(60),
        Duration.ofSeconds(1)));
    assertThat(api.env()).containsOnlyKeys("DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD", "REDIS_URL");
    assertThat(api.env().get("DATABASE_URL").references())
        .containsExactly(new Reference(Reference.Kind.RESOURCES, "db", "jdbcUrl"));
    assertThat(api.replicas()).isEqualTo(1);
    assertThat(api.compute()).isEqualTo(new ComputeSpec(new Quantity("500m", 500), new Quantity("512Mi", 512L << 20)));
    assertThat(api.dependsOn()).containsExactly(Map.entry("db", DependencyCondition.HEALTHY),
        Map.entry("cache", DependencyCondition.HEALTHY));
    assertThat(api.ingress()).isEqualTo(new IngressSpec("shop.example.com", "/api"));
    assertThat(api.strategy()).isEqualTo(new StrategySpec.Canary(List.of(
        new CanaryStep.SetWeight(10),
        new CanaryStep.Pause(Duration.ofSeconds(30)),
        new CanaryStep.Analysis(0.01, null, Duration.ofMillis(500), 200, Duration.ofMinutes(5), List.of()),
        new CanaryStep.SetWeight(50),
        new CanaryStep.Pause(Duration.ofSeconds(30)))));

    ServiceSpec web = app.service("web");
    assertThat(web.health()).isEqualTo(new HealthSpec("/health/ready", null, Duration.ofSeconds(60), Duration.ofSeconds(1)));
    assertThat(web.env().get("API_URL").references())
        .containsExactly(new Reference(Reference.Kind.SERVICES, "api", "url"));
    assertThat(web.strategy()).isEqualTo(new StrategySpec.BlueGreen(Duration.ofMinutes(5), List.of()));
    assertThat(app.service("worker").strategy()).isEqualTo(new StrategySpec.Rolling(1, 0));
    assertThat(app.service("worker").port()).isNull();

    assertThat(app.resources().get("db")).isEqualTo(new BackingServiceSpec("db", BackingServiceType.POSTGRES, "15",
        BackingServiceSpec.Provider.EMBEDDED, null, "shop", "shop"));
    assertThat(app.resources().get("cache")).isEqualTo(new BackingServiceSpec("cache", BackingServiceType.REDIS, "6",
        BackingServiceSpec.Provider.EMBEDDED, null, null, null));
    assertThat(app.environments()).containsExactly(
        Map.entry("dev", new EnvironmentSpec("dev", EnvironmentSpec.TargetKind.LOCAL, null)),
        Map.entry("staging", new EnvironmentSpec("staging", EnvironmentSpec.TargetKind.KUBERNETES, "shop-staging")),
        Map.entry("production", new EnvironmentSpec("production", EnvironmentSpec.TargetKind.KUBERNETES, "shop")));
  }

  @Test
  void load_whenShopExampleWithStaging_overridesReplicasAndKeepsEveryOtherField() {
    AppSpec base = ModelLoader.load(fixture("shop.yaml"), null);
    AppSpec staging = ModelLoader.load(fixture("shop.yaml"), "staging");

    ServiceSpec api = staging.service("api");
    assertThat(api.replicas()).isEqualTo(2);
    assertThat(api).usingRecursiveComparison().ignoringFields("replicas").isEqualTo(base.service("api"));
    assertThat(staging.services().get("web")).isEqualTo(base.services().get("web"));
    assertThat(staging.resources()).isEqualTo(base.resources());
    assertThat(staging.environment()).isEqualTo("staging");
    assertThat(staging.selectedEnvironment()).contains(staging.environments().get("staging"));
    assertThat(ModelLoader.load(fixture("shop.yaml"), "production").service("api").replicas()).isEqualTo(3);
  }

  @Test
  void load_whenShopExample_recordsWhereEachPathWasWritten() {
    ModelLocations locations = ModelLoader.load(fixture("shop.yaml"), "staging").locations();
    Path file = fixture("shop.yaml");

    assertThat(locations.find("services.api")).isEqualTo(new SourceLocation(file, 5, 3));
    assertThat(locations.find("services.api.run")).isEqualTo(new SourceLocation(file, 7, 10));
    assertThat(locations.find("services.api.replicas")).as("overlay value").isEqualTo(new SourceLocation(file, 46, 88));
    assertThat(locations.find("services.api.strategy.canary.steps[2].analysis.maxErrorRate"))
        .isEqualTo(new SourceLocation(file, 25, 39));
    assertThat(locations.find("services.api.strategy.canary.steps[2]")).isEqualTo(new SourceLocation(file, 25, 13));
    assertThat(locations.find("services.api.build.inputs[1]")).isEqualTo(new SourceLocation(file, 6, 59));
    assertThat(locations.find("services.api.health.interval")).isEqualTo(new SourceLocation(file, 10, 88));
    assertThat(locations.find("services.web.env.API_URL.nothing")).isEqualTo(new SourceLocation(file, 32, 21));
  }

  @Test
  void load_whenKeysOmitted_appliesDocumentedDefaults() {
    AppSpec app = parse("""
        name: shop
        services:
          api: { run: ./api }
        resources:
          db: { type: postgres }
          metrics: { type: prometheus }
        environments:
          dev:
        """);

    ServiceSpec api = app.service("api");
    assertThat(api.health()).isEqualTo(HealthSpec.defaults());
    assertThat(api.replicas()).isEqualTo(1);
    assertThat(api.strategy()).isEqualTo(StrategySpec.defaultStrategy());
    assertThat(api.build()).isNull();
    assertThat(api.env()).isEmpty();
    assertThat(api.dependsOn()).isEmpty();
    assertThat(app.resources().get("db")).isEqualTo(new BackingServiceSpec("db", BackingServiceType.POSTGRES, "15",
        BackingServiceSpec.Provider.EMBEDDED, null, "shop", "shop"));
    assertThat(app.resources().get("metrics").provider()).isEqualTo(BackingServiceSpec.Provider.LOCAL);
    assertThat(app.resources().get("metrics").version()).isNull();
    assertThat(app.environments().get("dev")).isEqualTo(new EnvironmentSpec("dev", EnvironmentSpec.TargetKind.LOCAL, null));
  }

  @Test
  void load_whenScalarsWrittenAsNumbersOrBooleans_keepsTheTextAsWritten() {
    AppSpec app = parse("""
        name: shop
        services:
          api:
            run: ./api
            image: 1.10
            env: { DEBUG: yes, RATIO: 0.50, COUNTRY: NO, EMPTY: "" }
        resources:
          db: { type: postgres, version: 15.10 }
        """);

    assertThat(app.service("api").image()).isEqualTo("1.10");
    assertThat(app.service("api").env()).containsEntry("DEBUG", Template.literal("yes"))
        .containsEntry("RATIO", Template.literal("0.50")).containsEntry("COUNTRY", Template.literal("NO"))
        .containsEntry("EMPTY", Template.literal(""));
    assertThat(app.resources().get("db").version()).isEqualTo("15.10");
  }

  @Test
  void load_whenSecretsDeclared_bindsTheirSources() {
    AppSpec app = parse("""
        name: shop
        secrets:
          stripe: env:STRIPE_KEY
          cert: "file:certs/tls.pem"
        """);

    assertThat(app.secrets()).containsExactly(
        Map.entry("stripe", new SecretSpec("stripe", new SecretSpec.FromEnv("STRIPE_KEY"))),
        Map.entry("cert", new SecretSpec("cert", new SecretSpec.FromFile("certs/tls.pem"))));
  }

  @Test
  void load_whenAnchorsAndMergeKeysUsed_mergesThemLikeYamlDoes() {
    AppSpec app = parse("""
        x-java: &java
          run: java -jar app.jar
          port: 8080
          health: { ready: /ready }
        name: shop
        services:
          api:
            <<: *java
            port: 9090
          web: *java
        """);

    assertThat(app.service("api").port()).isEqualTo(9090);
    assertThat(app.service("api").run()).isEqualTo("java -jar app.jar");
    assertThat(app.service("web").port()).isEqualTo(8080);
    assertThat(app.service("web").health().ready()).isEqualTo("/ready");
  }

  @Test
  void load_whenFileMissing_reportsLineOneWithHowToFix(@TempDir Path dir) {
    Path missing = dir.resolve("slipway.yaml");

    ModelException e = catchThrowableOfType(ModelException.class, () -> ModelLoader.load(missing, null));

    assertThat(e.errors()).extracting(ModelError::format)
        .containsExactly(missing + ":1:1: no such file\n    create it or pass -f FILE");
  }

  @Test
  void load_whenPathIsDirectory_saysSo(@TempDir Path dir) {
    assertThatThrownBy(() -> ModelLoader.load(dir, null)).isInstanceOf(ModelException.class)
        .hasMessage(dir + ":1:1: is a directory, not a model file\n    pass the model file itself with -f FILE");
  }

  @Test
  void load_whenFileIsNotUtf8_pointsAtTheBadByte(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("slipway.yaml");
    Files.write(file, new byte[] {'n', 'a', 'm', 'e', ':', ' ', 'a', '\n', 'x', ':', ' ', 'c', 'a', 'f', (byte) 0xE9, '\n'});

    assertThatThrownBy(() -> ModelLoader.load(file, null)).isInstanceOf(ModelException.class)
        .hasMessage(file + ":2:7: the file is not valid UTF-8\n    save it as UTF-8");
  }

  @Test
  void load_whenFileHasByteOrderMark_ignoresIt(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("slipway.yaml");
    Files.writeString(file, "\uFEFFname: shop\n");

    assertThat(ModelLoader.load(file, null).name()).isEqualTo("shop");
  }

  @Test
  void load_whenTypoUndefinedReferenceAndCycle_reportsExactlyThreeLocatedErrorsWithSuggestions() {
    Path file = fixture("three-errors.yaml");

    ModelException e = catchThrowableOfType(ModelException.class, () -> ModelLoader.load(file, null));

    assertThat(e.errors()).extracting(ModelError::format).containsExactly(
        file + ":6:5: services.api.helth: unknown key `helth`\n    did you mean `health`?",
        file + ":8:21: services.api.env.DATABASE_URL: undefined resource `dbb` in `${resources.dbb.jdbcUrl}`\n"
            + "    did you mean `db`?",
        file + ":13:18: services.web.dependsOn.api: dependency cycle: api → web → api\n"
            + "    remove one of these dependencies");
    assertThat(e.format()).endsWith("\n3 errors");
  }

  @Test
  void parse_whenFileIsNull_usesTheDefaultName() {
    assertThat(catchThrowableOfType(ModelException.class, () -> ModelLoader.parse("name: Shop", null, null))
        .errors().get(0).format()).startsWith("slipway.yaml:1:7: name: invalid app name `Shop`");
  }

  @Test
  void validateAll_whenModelValidEverywhere_returnsNoErrors() {
    assertThat(ModelLoader.validateAll(fixture("shop.yaml"))).isEmpty();
  }

  @Test
  void validateAll_whenOnlyAnOverlayIsBroken_reportsItOnceNamingTheEnvironment() {
    List<ModelError> errors = ModelLoader.validateAll(fixture("overlays.yaml"));

    assertThat(errors).extracting(ModelError::format).containsExactly(fixture("overlays.yaml")
        + ":40:24: services.api.replicas: expected an integer, found `many` (with environment `broken`)\n"
        + "    write the number of instances, e.g. `2`");
  }

  @Test
  void validateAll_whenBaseIsBroken_reportsEachErrorOnceNotOncePerEnvironment() {
    List<ModelError> errors = ModelLoader.validateAll("""
        name: shop
        services:
          api: { run: x, port: 0 }
        environments: { dev: {}, staging: {}, production: {} }
        """, FILE);

    assertThat(errors).extracting(ModelError::format).containsExactly(
        "slipway.yaml:3:24: services.api.port: expected an integer from 1 to 65535, found `0`\n"
            + "    use a port from 1 to 65535, e.g. `8080`");
  }

  @Test
  void validateAll_whenFileMissing_returnsTheReadError(@TempDir Path dir) {
    assertThat(ModelLoader.validateAll(dir.resolve("none.yaml"))).extracting(ModelError::message)
        .containsExactly("no such file");
  }

  @Test
  void exception_whenSeveralErrors_summarisesTheFirstAndCountsTheRest() {
    ModelException e = catchThrowableOfType(ModelException.class,
        () -> parse("name: shop\nservices: { a: {}, b: {} }\n"));

    assertThat(errors("name: shop\nservices: { a: {}, b: {} }\n")).hasSize(2);
    assertThat(e.getMessage()).endsWith("(and 1 more)");
  }
}
