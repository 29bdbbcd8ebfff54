package dev.slipway.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code docs/slipway.schema.json} (for editors) agrees with the loader: valid models validate, and
 * the schema describes exactly the keys and words the loader accepts.
 */
class SchemaTest {
  private static final Path SCHEMA = Path.of("../docs/slipway.schema.json");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static JsonNode schemaJson;
  private static JsonSchema schema;

  @BeforeAll
  static void readSchema() throws IOException {
    schemaJson = JSON.readTree(SCHEMA.toFile());
    schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schemaJson);
  }

  /** YAML → JSON the way an editor's YAML language server sees it. */
  private static JsonNode yamlAsJson(String yaml) {
    Object tree = new Yaml().load(yaml);
    return JSON.valueToTree(tree);
  }

  private static Set<ValidationMessage> validate(Path model) throws IOException {
    return schema.validate(yamlAsJson(Files.readString(model)));
  }

  @Test
  void schema_whenShopExample_validates() throws IOException {
    assertThat(validate(Models.fixture("shop.yaml"))).isEmpty();
  }

  @Test
  void schema_whenOverlayExample_flagsOnlyTheDeliberatelyBrokenEnvironment() throws IOException {
    assertThat(validate(Models.fixture("overlays.yaml"))).extracting(ValidationMessage::getMessage)
        .containsExactly("$.environments.broken.services.api.replicas: string found, integer expected");
  }

  @Test
  void schema_whenClusterSettingsExample_validates() throws IOException {
    assertThat(validate(Models.fixture("cluster.yaml"))).isEmpty();
  }

  @Test
  void schema_whenPrometheusIsNoHttpUrlOrGitOpsLacksRepo_rejectsIt() {
    String model = "name: shop\nenvironments:\n  prod:\n    target: kubernetes\n    %s\n";

    assertThat(schema.validate(yamlAsJson(model.formatted("prometheus: http://p:9090")))).isEmpty();
    assertThat(schema.validate(yamlAsJson(model.formatted("prometheus: p:9090")))).isNotEmpty();
    assertThat(schema.validate(yamlAsJson(model.formatted("prometheus: { metrics: micrometer }")))).isNotEmpty();
    assertThat(schema.validate(yamlAsJson(model.formatted("prometheus: { url: http://p, metrics: statsd }"))))
        .isNotEmpty();
    assertThat(schema.validate(yamlAsJson(model.formatted("gitops: { branch: main }")))).isNotEmpty();
    assertThat(schema.validate(yamlAsJson(model.formatted("requireDigests: \"yes\"")))).isNotEmpty();
  }

  @Test
  void schema_whenPromotionIsWrittenLikeTheLoaderTakesIt_validates_andRejectsWhatItRejects() {
    String model = "name: shop\nenvironments:\n  staging: {}\n  production:\n    protected: true\n"
        + "    promotion: { from: staging, %s }\n";
    String good = "soak: 1h, approvals: 1, approvers: [release], "
        + "window: { days: Mon-Thu, hours: \"09:00-16:00\", timezone: Europe/Berlin }";

    assertThat(schema.validate(yamlAsJson(model.formatted(good)))).isEmpty();
    assertThat(Models.parse(model.formatted(good)).environments().get("production").promotion()).isNotNull();
    assertThat(schema.validate(yamlAsJson(model.formatted("window: { days: [Mon, Fri], hours: \"8:00-24:00\", "
        + "timezone: UTC }")))).isEmpty();
    assertThat(schema.validate(yamlAsJson(model.formatted("approvals: -1")))).isNotEmpty();
    assertThat(schema.validate(yamlAsJson(model.formatted("window: { hours: 9-16, timezone: UTC }")))).isNotEmpty();
    assertThat(schema.validate(yamlAsJson(model.formatted("window: { hours: \"09:00-16:00\" }")))).isNotEmpty();
    assertThat(schema.validate(yamlAsJson(model.formatted("soak: 1")))).isNotEmpty();
  }

  @Test
  void schema_whenKeyMisspelt_rejectsIt() {
    Set<ValidationMessage> errors = schema.validate(yamlAsJson(
        "name: shop\nservices:\n  api: { run: x, helth: { ready: /ready } }\n"));

    assertThat(errors).extracting(ValidationMessage::getMessage).anySatisfy(m -> assertThat(m).contains("helth"));
  }

  @Test
  void schema_whenExternalResourceLacksUrl_rejectsIt() {
    assertThat(schema.validate(yamlAsJson("name: shop\nresources: { db: { type: postgres, provider: external } }\n")))
        .isNotEmpty();
    assertThat(schema.validate(yamlAsJson("name: shop\nresources: { db: { type: postgres, url: x } }\n"))).isNotEmpty();
  }

  @Test
  void schema_whenDurationHasNoUnit_rejectsIt() {
    assertThat(schema.validate(yamlAsJson("name: shop\nservices: { api: { run: x, health: { interval: 5 } } }\n")))
        .isNotEmpty();
  }

  @Test
  void schema_whenAnalysisHasQueries_validatesThemLikeTheLoader() {
    String model = "name: shop\nresources: { metrics: { type: prometheus } }\nservices:\n  api:\n    run: x\n"
        + "    strategy: { canary: { steps: [ { analysis: { queries: [ %s ] } } ] } }\n";
    String good = "{ name: db-errors, query: \"sum(rate(x[{{window}}]))\", max: 0.5 }";

    assertThat(schema.validate(yamlAsJson(model.formatted(good)))).isEmpty();
    assertThat(Models.parse(model.formatted(good)).service("api").strategy()).isNotNull();
    assertThat(schema.validate(yamlAsJson(model.formatted("{ name: db-errors, query: up }")))).isNotEmpty();
    assertThat(schema.validate(yamlAsJson(model.formatted("{ name: q, query: up, max: \"1\" }")))).isNotEmpty();
    assertThat(schema.validate(yamlAsJson(model.formatted("")))).as("empty queries set no limit").isNotEmpty();
  }

  @Test
  void schema_describesExactlyTheKeysTheLoaderAccepts() {
    List<String> drift = new ArrayList<>();
    for (Map.Entry<String, List<String>> section : ModelKeys.bySchemaDefinition().entrySet()) {
      JsonNode node = section.getKey().isEmpty() ? schemaJson : schemaJson.path("definitions").path(section.getKey());
      assertThat(node.isMissingNode()).as("schema definition `%s`", section.getKey()).isFalse();
      List<String> schemaKeys = new ArrayList<>();
      node.path("properties").fieldNames().forEachRemaining(schemaKeys::add);
      if (!Set.copyOf(schemaKeys).equals(Set.copyOf(section.getValue()))) {
        drift.add("`" + section.getKey() + "`: loader " + section.getValue() + ", schema " + schemaKeys);
      }
      assertThat(node.path("additionalProperties").asBoolean(true))
          .as("`%s` rejects unknown keys, as the loader does", section.getKey()).isFalse();
    }
    assertThat(drift).isEmpty();
  }

  @Test
  void schema_offersExactlyTheWordsTheLoaderAccepts() {
    JsonNode defs = schemaJson.path("definitions");

    assertThat(words(defs.path("resource").path("properties").path("type").path("enum")))
        .containsExactlyElementsOf(ResourceBinder.TYPES);
    assertThat(words(defs.path("resource").path("properties").path("provider").path("enum")))
        .containsExactlyElementsOf(ResourceBinder.PROVIDERS);
    assertThat(words(defs.path("environment").path("properties").path("target").path("enum")))
        .containsExactly("local", "kubernetes");
    assertThat(words(defs.path("secretStore").path("properties").path("kind").path("enum")))
        .containsExactlyElementsOf(ClusterBinder.STORE_KINDS);
    assertThat(words(defs.path("prometheus").path("properties").path("metrics").path("enum")))
        .containsExactlyElementsOf(ClusterSettingsBinder.METRICS);
    assertThat(words(defs.path("service").path("properties").path("dependsOn").path("oneOf").path(0)
        .path("additionalProperties").path("enum"))).containsExactly("started", "healthy");
  }

  private static List<String> words(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> {
      if (!n.isNull()) {
        out.add(n.asText());
      }
    });
    return out;
  }
}
