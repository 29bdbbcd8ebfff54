package dev.slipway.server.team;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.model.AppSpec;
import dev.slipway.model.ModelLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TargetConfigTest {
  private static final String MODEL = """
      name: shop
      services:
        api:
          run: "true"
          image: registry.example/api:1
          env:
            GREETING: hello
            API_TOKEN: hunter2-literal
            DB_PASSWORD: ${resources.db.password}
            DB_URL: ${resources.db.url}
      resources:
        db: { type: postgres }
      environments:
        production: { target: kubernetes, services: { api: { env: { GREETING: hello-production } } } }
      """;

  @Test
  void of_showsTheTargetsTemplates_andMasksEverySecretValue() {
    AppSpec app = ModelLoader.parse(MODEL, Path.of("/m/slipway.yaml"), "production");

    var config = TargetConfig.of(app, "api");

    assertThat(config).containsEntry("GREETING", "hello-production").containsEntry("API_TOKEN", "****")
        .containsEntry("DB_PASSWORD", "****").containsEntry("DB_URL", "****");
    assertThat(TargetConfig.json(app, "api")).doesNotContain("hunter2");
  }

  @Test
  void parse_readsARecordedConfiguration_andAnythingElseAsEmpty() {
    assertThat(TargetConfig.parse("{\"A\":\"1\",\"B\":\"****\"}")).containsEntry("A", "1").containsEntry("B", "****");
    assertThat(TargetConfig.parse("{\"env\":{\"A\":\"1\"}}")).containsExactlyEntriesOf(java.util.Map.of("A", "1"));
    assertThat(TargetConfig.parse(null)).isEmpty();
    assertThat(TargetConfig.parse("not json")).isEmpty();
  }
}
