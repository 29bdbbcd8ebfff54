package dev.slipway.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fixture declares {@code stripe: env:STRIPE_KEY} and {@code webhook: file:secrets/stripe-webhook}.
 * The model loader never reads secret values, so the generators cannot leak them by construction; this
 * test keeps it that way: the file's value (and STRIPE_KEY's, when the environment has it) must appear
 * in no generated file of any environment.
 */
class GeneratedSecretsTest {
  private static final Path MODEL = Path.of("src/test/resources/secrets/slipway.yaml");

  @Test
  void noGeneratedFile_containsASecretValue() throws Exception {
    List<String> values = new ArrayList<>();
    values.add(Files.readString(MODEL.resolveSibling("secrets/stripe-webhook")).strip());
    String fromEnv = System.getenv("STRIPE_KEY");
    if (fromEnv != null && fromEnv.length() >= 4) {
      values.add(fromEnv);
    }
    assertThat(values.get(0)).isEqualTo("whsec_FIXTURE_FILE_SECRET_7f3a9c");

    int files = 0;
    for (Generator g : List.of(new ComposeGenerator(), new GitHubActionsGenerator(), new ArgoCdGenerator(), new FluxGenerator())) {
      for (String env : new String[] {null, "staging", "production"}) {
        Generated generated = ShopExample.generate(g, MODEL, env);
        for (Map.Entry<String, String> f : generated.files().entrySet()) {
          files++;
          for (String value : values) {
            assertThat(f.getValue()).as("%s (%s, env %s)", f.getKey(), g.id(), env).doesNotContain(value);
          }
        }
        for (Generated.ReportLine line : generated.report()) {
          for (String value : values) {
            assertThat(line.outcome()).doesNotContain(value);
          }
        }
      }
    }
    assertThat(files).isGreaterThan(10);
  }

  @Test
  void compose_takesSecretsFromItsEnvFile_listingNamesWithoutValues() throws Exception {
    Generated g = ShopExample.generate(new ComposeGenerator(), MODEL, "production");

    assertThat(g.files().get("compose/.env.example").lines().filter(l -> !l.isBlank() && !l.startsWith("#")))
        .containsExactly("STRIPE_KEY=", "WEBHOOK=", "GRAFANA_ADMIN_PASSWORD=");
    Map<String, Object> env = ComposeGeneratorTest.map(ComposeGeneratorTest.map(ComposeGeneratorTest.map(
        ComposeGeneratorTest.yaml(g.files().get("compose/docker-compose.yml")).get("services")).get("api")).get("environment"));
    assertThat(env.get("STRIPE_KEY").toString()).startsWith("${STRIPE_KEY?");
    assertThat(env.get("DATABASE_URL").toString()).startsWith("postgresql://vault:${WEBHOOK?").endsWith("@db.internal:5432/vault");
  }

  @Test
  void externalUrlWithAPassword_isTakenFromTheEnvFileInCompose_andFromTheSecretInKubernetes(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path model = Files.writeString(dir.resolve("slipway.yaml"), """
        name: ext
        resources:
          db: { type: postgres, provider: external, url: "postgres://app:Ext%2FPw0rd-7Q@db.example:5432/app" }
        services:
          api:
            run: "java -jar api.jar"
            image: ghcr.io/acme/api:1.0.0
            port: 8080
            env: { DATABASE_URL: "${resources.db.url}" }
        environments:
          production: { target: kubernetes }
        """);
    for (Generator g : List.of(new ComposeGenerator(), new KubernetesGenerator(), new HelmChartGenerator())) {
      Generated generated = ShopExample.generate(g, model, "production");
      generated.files().forEach((name, text) -> assertThat(text).as("%s (%s)", name, g.id())
          .doesNotContain("Ext%2FPw0rd-7Q").doesNotContain("Ext/Pw0rd-7Q"));
      generated.report().forEach(line -> assertThat(line.outcome()).doesNotContain("Pw0rd"));
      if (g instanceof ComposeGenerator) {
        Map<String, Object> env = ComposeGeneratorTest.map(ComposeGeneratorTest.map(ComposeGeneratorTest.map(
            ComposeGeneratorTest.yaml(generated.files().get("compose/docker-compose.yml")).get("services")).get("api"))
            .get("environment"));
        assertThat(env.get("DATABASE_URL").toString()).startsWith("${DB_URL?");
        assertThat(generated.files().get("compose/.env.example")).contains("\nDB_URL=\n");
      }
    }
  }
}
