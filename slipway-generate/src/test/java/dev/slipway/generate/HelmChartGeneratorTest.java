package dev.slipway.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.slipway.generate.Generated.ReportLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The helm target, checked by the real Helm that helm-java embeds: lint, and template against the kubernetes target. */
class HelmChartGeneratorTest {
  private static final Path SECRETS = Path.of("src/test/resources/helm/secrets/slipway.yaml");

  @TempDir
  Path out;

  @Test
  void helm_whenShopExample_templateWithEachValuesFileRendersTheKubernetesTargetsObjects() throws Exception {
    assertChartEqualsKubernetesTarget(KubeFixtures.SHOP, false);
  }

  @Test
  void helm_whenEnvironmentsDifferInEveryWay_templateRendersTheKubernetesTargetsObjects() throws Exception {
    assertChartEqualsKubernetesTarget(KubeFixtures.fixture("environments.yaml"), false);
  }

  @Test
  void helm_withArgoRollouts_templateRendersTheKubernetesTargetsObjects() throws Exception {
    assertChartEqualsKubernetesTarget(KubeFixtures.fixture("environments.yaml"), true);
  }

  @Test
  void helm_whenOnlyProductionHasSecretStoreAndGateway_wrapsTheirObjectsAndTheIngressInEnabledValues()
      throws Exception {
    Path chart = generate(KubeFixtures.fixture("environments.yaml"), false, out);

    assertThat(Files.readString(chart.resolve("templates/api-httproute.yaml")))
        .contains("{{- if .Values.services.api.httpRoute.enabled }}\napiVersion: gateway.networking.k8s.io/v1")
        .contains("kind: HTTPRoute").contains("name: public");
    assertThat(Files.readString(chart.resolve("templates/api-ingress.yaml"))).contains(".Values.services.api.ingress");
    assertThat(Files.readString(chart.resolve("templates/store-secrets-externalsecret.yaml")))
        .contains("kind: ExternalSecret").contains("key: store/production/stripe").contains("enabled");
    Map<String, Object> production = yaml(chart.resolve("values-production.yaml"));
    assertThat(KubeFixtures.at(production, "services.api.httpRoute.enabled")).isEqualTo(true);
    assertThat(Files.readString(chart.resolve("templates/NOTES.txt"))).contains("the ExternalSecret of the same name");
  }

  @Test
  void helm_whenShopExample_lintStrictPassesWithEveryValuesFile() throws Exception {
    for (Path model : List.of(KubeFixtures.SHOP, KubeFixtures.fixture("environments.yaml"))) {
      Path chart = generate(model, false, out.resolve(model.getFileName() + "-lint"));
      List<String> envs = KubeFixtures.kubernetesEnvironments(model);
      assertLintPasses(chart, "values.yaml");
      for (String env : envs) {
        // helm-java's lint takes no values file: lint a copy whose defaults are values.yaml + values-ENV.yaml.
        Path copy = copyChart(chart, out.resolve(model.getFileName() + "-lint-" + env));
        Map<String, Object> merged = HelmValues.merge(yaml(chart.resolve("values.yaml")),
            yaml(chart.resolve("values-" + env + ".yaml")));
        Files.writeString(copy.resolve("values.yaml"), YamlText.dump(merged));
        assertLintPasses(copy, "values-" + env + ".yaml");
      }
    }
  }

  @Test
  void helm_whenShopExample_valuesFilesHoldOnlyWhatEachEnvironmentChanges() throws Exception {
    Path chart = generate(KubeFixtures.SHOP, false, out);

    Map<String, Object> values = yaml(chart.resolve("values.yaml"));
    assertThat(KubeFixtures.at(values, "services.api.replicas")).isEqualTo(1);
    assertThat(KubeFixtures.at(values, "services.api.image"))
        .isEqualTo(Map.of("repository", "ghcr.io/acme/shop-api", "tag", "1.0.0"));
    assertThat(KubeFixtures.at(values, "services.api.ingress.host")).isEqualTo("shop.example.com");
    assertThat(KubeFixtures.at(values, "namespace.create")).isEqualTo(false);
    Map<String, Object> production = yaml(chart.resolve("values-production.yaml"));
    assertThat(KubeFixtures.at(production, "services.api.replicas")).isEqualTo(3);
    assertThat(KubeFixtures.at(production, "services.api.image")).isNull();
    assertThat(KubeFixtures.at(production, "services.web")).isNull();
    assertThat(KubeFixtures.at(yaml(chart.resolve("values-staging.yaml")), "services.api.replicas")).isEqualTo(2);
  }

  @Test
  void helm_whenTagSetOnTheCommandLine_rendersThatImage() throws Exception {
    Path chart = generate(KubeFixtures.SHOP, false, out);

    List<Map<String, Object>> rendered = render(chart, "production", "shop", Map.of("services.api.image.tag", "0a1b2c3"));

    Map<String, Object> api = KubeFixtures.find(rendered, "Deployment", "api");
    assertThat(KubeFixtures.at(api, "spec.template.spec.containers.0.image")).isEqualTo("ghcr.io/acme/shop-api:0a1b2c3");
    assertThat(KubeFixtures.at(api, "spec.replicas")).isEqualTo(3);
  }

  @Test
  void helm_whenValueHasTheWrongType_schemaRejectsItBeforeRendering() throws Exception {
    Path chart = generate(KubeFixtures.SHOP, false, out);

    assertThatThrownBy(() -> template(chart, "production", "shop", Map.of("services.api.replicas", "three")))
        .hasMessageContaining("replicas");
    assertThat(template(chart, "production", "shop", Map.of("services.api.image.tag", 1234567)))
        .contains("ghcr.io/acme/shop-api:1234567");
  }

  @Test
  void helm_whenGeneratedTwice_writesIdenticalBytes() throws Exception {
    Path model = KubeFixtures.fixture("environments.yaml");
    Generated a = new HelmChartGenerator().generate(KubeFixtures.load(model, "production"),
        KubeFixtures.options(model, "production", true));
    Generated b = new HelmChartGenerator().generate(KubeFixtures.load(model, "staging"),
        KubeFixtures.options(model, "staging", true));

    assertThat(a.files()).isEqualTo(b.files());
  }

  @Test
  void helm_whenModelHasSecrets_noSecretValueInAnyChartFile() throws Exception {
    String fileSecret = Files.readString(SECRETS.resolveSibling("secrets/webhook")).strip();
    Path chart = generate(SECRETS, false, out);

    List<String> values = new ArrayList<>(List.of(fileSecret));
    if (System.getenv("STRIPE_KEY") != null && !System.getenv("STRIPE_KEY").isBlank()) {
      values.add(System.getenv("STRIPE_KEY"));
    }
    try (Stream<Path> files = Files.walk(chart)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(f);
        values.forEach(v -> assertThat(text).as("%s", chart.relativize(f)).doesNotContain(v));
      }
    }
    String rendered = template(chart, "production", "vault", Map.of());
    assertThat(rendered).contains("secretKeyRef").contains("vault-secrets").doesNotContain(fileSecret);
    assertThat(Files.readString(chart.resolve("templates/NOTES.txt"))).contains("stripe", "webhook");
  }

  @Test
  void helm_report_saysWhatEachFieldBecameAndWhatCannotBeExpressed() throws Exception {
    Generated g = new HelmChartGenerator().generate(KubeFixtures.load(KubeFixtures.SHOP, "production"),
        KubeFixtures.options(KubeFixtures.SHOP, "production", false));

    assertThat(g.report()).contains(new ReportLine("services.api.replicas",
        "values.services.api.replicas (values-staging.yaml: 2, values-production.yaml: 3)", true));
    assertThat(g.report()).anyMatch(l -> l.modelPath().equals("environments.dev") && !l.expressed());
    assertThat(g.report()).anyMatch(l -> l.modelPath().equals("services.api.image")
        && l.outcome().startsWith("values.services.api.image"));
  }

  private void assertChartEqualsKubernetesTarget(Path model, boolean argo) throws Exception {
    List<String> envs = KubeFixtures.kubernetesEnvironments(model);
    assertThat(envs).isNotEmpty();
    Path chart = generate(model, argo, out);
    for (String env : envs) {
      List<Map<String, Object>> expected = normalized(KubeFixtures.objects(model, env, argo));
      String namespace = KubernetesGenerator.namespace(KubeFixtures.load(model, env));
      assertSameObjects(render(chart, env, namespace, Map.of("namespace.create", true)), expected, env);
    }
    // values.yaml alone is the base model; the Namespace is left to `helm --create-namespace` by default.
    List<Map<String, Object>> base = new ArrayList<>(normalized(KubeFixtures.objects(model, null, argo)));
    base.removeIf(o -> Kube.kind(o).equals("Namespace"));
    String appName = KubeFixtures.load(model, null).name();
    assertSameObjects(render(chart, null, appName, Map.of()), base, "values.yaml");
  }

  private static void assertSameObjects(List<Map<String, Object>> rendered, List<Map<String, Object>> expected,
      String what) {
    Map<String, Map<String, Object>> got = KustomizeGenerator.byId(rendered);
    Map<String, Map<String, Object>> want = KustomizeGenerator.byId(expected);
    assertThat(got.keySet()).as("objects rendered with %s", what).containsExactlyInAnyOrderElementsOf(want.keySet());
    assertThat(rendered).as("no object twice with %s", what).hasSize(expected.size());
    for (String id : want.keySet()) {
      assertThat(JsonPatchDiff.diff(got.get(id), want.get(id))).as("%s %s: rendered → kubernetes target", what, id)
          .isEmpty();
    }
  }

  private Path generate(Path model, boolean argo, Path dir) throws Exception {
    List<String> envs = KubeFixtures.kubernetesEnvironments(model);
    String env = envs.isEmpty() ? null : envs.getLast();
    Generated g = new HelmChartGenerator().generate(KubeFixtures.load(model, env), KubeFixtures.options(model, env, argo));
    KustomizeGeneratorTest.write(g, dir);
    return dir.resolve("helm/" + KubeFixtures.load(model, null).name());
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> render(Path chart, String env, String namespace, Map<String, Object> set) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object d : new Yaml().loadAll(template(chart, env, namespace, set))) {
      if (d != null) {
        docs.add((Map<String, Object>) d);
      }
    }
    return docs;
  }

  private static String template(Path chart, String env, String namespace, Map<String, Object> set) {
    var t = new Helm(chart).template().withName("release").withNamespace(namespace);
    if (env != null) {
      t = t.withValuesFile(chart.resolve("values-" + env + ".yaml"));
    }
    for (Map.Entry<String, Object> e : new TreeMap<>(set).entrySet()) {
      t = t.set(e.getKey(), e.getValue());
    }
    return t.call();
  }

  private static void assertLintPasses(Path chart, String values) {
    LintResult lint = new Helm(chart).lint().strict().call();
    assertThat(lint.isFailed()).as("helm lint --strict with %s: %s", values, lint.getMessages()).isFalse();
  }

  /** As {@code generate kubernetes} writes them and a YAML reader reads them back. */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> normalized(List<Map<String, Object>> objects) {
    List<Map<String, Object>> out = new ArrayList<>();
    new Yaml().loadAll(YamlText.dumpAll(objects)).forEach(o -> out.add((Map<String, Object>) o));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(Path file) throws IOException {
    Map<String, Object> m = new Yaml().load(Files.readString(file));
    return m == null ? new LinkedHashMap<>() : m;
  }

  private static Path copyChart(Path chart, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(chart)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(chart.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
    return to;
  }
}
