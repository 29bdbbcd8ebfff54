package dev.slipway.generate;

import static dev.slipway.generate.ComposeGeneratorTest.list;
import static dev.slipway.generate.ComposeGeneratorTest.map;
import static dev.slipway.generate.ComposeGeneratorTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.generate.Generated.ReportLine;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitHubActionsGeneratorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static JsonSchema schema;
  private final GitHubActionsGenerator generator = new GitHubActionsGenerator();

  @BeforeAll
  static synchronized void loadSchema() throws IOException {
    if (schema != null) {
      return;
    }
    try (InputStream in = GitHubActionsGeneratorTest.class.getResourceAsStream("/schemas/github-workflow.json")) {
      assertThat(in).as("schemas/github-workflow.json on the test classpath").isNotNull();
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(JSON.readTree(in));
    }
  }

  @Test
  void everyWorkflow_validatesAgainstTheGitHubWorkflowSchema() throws Exception {
    Generated g = generator.generate(ShopExample.load("production"), ShopExample.options(ShopExample.FILE, "production", null));

    assertThat(g.files()).containsOnlyKeys(".github/workflows/ci.yml", ".github/workflows/deploy.yml",
        ".github/workflows/preview.yml");
    for (Map.Entry<String, String> f : g.files().entrySet()) {
      assertThat(validate(yaml(f.getValue()))).as(f.getKey()).isEmpty();
      // Every step reads whole: no YAML anchor or alias for a map several steps share.
      assertThat(f.getValue()).as(f.getKey()).doesNotContainPattern("[&*]id\\d+");
    }
  }

  @Test
  void schemaValidation_rejectsAJobWithoutRunsOn() throws Exception {
    Generated g = generator.generate(ShopExample.load("production"), ShopExample.options(ShopExample.FILE, "production", null));
    Map<String, Object> ci = yaml(g.files().get(".github/workflows/ci.yml"));
    map(map(ci.get("jobs")).get("build")).remove("runs-on");

    assertThat(validate(ci)).isNotEmpty();
  }

  @Test
  void ci_buildsTestsScansAndPushesEachImageToGhcr_withMinimalPermissions() throws Exception {
    Map<String, Object> ci = workflow("ci.yml");

    assertThat(map(ci.get("permissions"))).containsExactly(Map.entry("contents", "read"));
    assertThat(map(ci.get("concurrency"))).containsKeys("group", "cancel-in-progress");
    Map<String, Object> jobs = map(ci.get("jobs"));
    assertThat(runs(jobs.get("build"))).contains("mvn -q -B -DskipTests package", "mvn -B -ntp test", "mvn -B -ntp verify");
    assertThat(map(jobs.get("dependency-review")).get("if")).isEqualTo("github.event_name == 'pull_request'");
    assertThat(uses(jobs.get("dependency-review"))).contains("actions/dependency-review-action@v4");

    // The shop's services are Maven jar modules without a Dockerfile: Jib builds them, the pom untouched.
    assertThat(jobs).doesNotContainKey("image");
    Map<String, Object> image = map(jobs.get("image-jib"));
    assertThat(map(image.get("permissions"))).containsEntry("packages", "write").containsEntry("contents", "read");
    assertThat(list(map(map(image.get("strategy")).get("matrix")).get("include")))
        .extracting(e -> map(e).get("image"))
        .containsExactly("ghcr.io/acme/shop-api", "ghcr.io/acme/shop-web", "ghcr.io/acme/shop-worker");
    assertThat(uses(image)).contains("docker/login-action@v3", "docker/metadata-action@v5",
        "aquasecurity/trivy-action@0.28.0").doesNotContain("docker/build-push-action@v6");
    Map<String, Object> meta = step(image, "docker/metadata-action@v5");
    assertThat(map(meta.get("with")).get("tags").toString())
        .contains("type=semver", "type=ref,event=branch", "type=sha", "type=raw,value=latest");
    Map<String, Object> push = steps(image).stream().filter(s -> "Push image".equals(s.get("name"))).findFirst().orElseThrow();
    assertThat(push.get("run")).isEqualTo("docker push --all-tags \"$IMAGE\"");
    assertThat(push.get("if")).isEqualTo("github.event_name != 'pull_request'");
  }

  @Test
  void modelBelowTheRepositoryRoot_runStepsWorkInItsDirectory_andStillValidate(@TempDir Path repo) throws Exception {
    Files.createDirectories(repo.resolve(".git"));
    Path file = repo.resolve("apps/shop/slipway.yaml");
    Files.createDirectories(file.getParent());
    Files.copy(ShopExample.FILE, file);

    Generated g = ShopExample.generate(generator, file, "production");

    for (Map.Entry<String, String> f : workflows(g).entrySet()) {
      Map<String, Object> w = yaml(f.getValue());
      assertThat(map(map(w.get("defaults")).get("run"))).as(f.getKey()).containsEntry("working-directory", "apps/shop");
      assertThat(validate(w)).as(f.getKey()).isEmpty();
    }
    // Only the model was copied, no poms: the services run jars, so Slipway writes their Dockerfiles.
    Map<String, Object> image = map(map(yaml(g.files().get(".github/workflows/ci.yml")).get("jobs")).get("image"));
    Map<String, Object> push = step(image, "docker/build-push-action@v6");
    assertThat(map(push.get("with"))).containsEntry("context", "apps/shop")
        .containsEntry("file", "apps/shop/${{ matrix.dockerfile }}");
    assertThat(list(map(map(image.get("strategy")).get("matrix")).get("include")))
        .extracting(e -> map(e).get("dockerfile"))
        .containsExactly("docker/api/Dockerfile", "docker/web/Dockerfile", "docker/worker/Dockerfile");
    assertThat(g.files()).containsKeys("docker/api/Dockerfile", "docker/api/Dockerfile.dockerignore");
  }

  @Test
  void everyActionIsPinnedToAVersion() throws Exception {
    Generated g = generator.generate(ShopExample.load("production"), ShopExample.options(ShopExample.FILE, "production", null));

    for (String text : workflows(g).values()) {
      for (Object job : map(yaml(text).get("jobs")).values()) {
        assertThat(uses(job)).allSatisfy(u -> assertThat(u).matches("[\\w.-]+/[\\w./-]+@(v\\d+|\\d+\\.\\d+\\.\\d+)"));
      }
    }
  }

  @Test
  void deploy_developGoesToStaging_mainToProduction_withHelmAtomicUpgrade_withoutPromotionKeys(@TempDir Path dir)
      throws Exception {
    Generated g = ShopExample.generate(generator, withoutPromotion(dir), "production");
    Map<String, Object> deploy = yaml(g.files().get(".github/workflows/deploy.yml"));
    assertThat(validate(deploy)).isEmpty();
    assertThat(g.files().get(".github/workflows/deploy.yml")).doesNotContain("SLIPWAY_SERVER", "SLIPWAY_TOKEN", "promote");

    Map<String, Object> jobs = map(deploy.get("jobs"));
    assertThat(jobs).containsOnlyKeys("staging", "production");
    Map<String, Object> staging = map(jobs.get("staging"));
    assertThat(staging.get("if").toString()).contains("head_branch == 'develop'", "conclusion == 'success'");
    assertThat(map(staging.get("environment"))).containsEntry("name", "staging");
    assertThat(runs(staging)).anySatisfy(r -> assertThat(r).contains("helm upgrade --install shop helm/shop",
        "--namespace shop-staging", "--values helm/shop/values-staging.yaml", "--wait", "--atomic"));
    Map<String, Object> production = map(jobs.get("production"));
    assertThat(production.get("if").toString()).contains("head_branch == 'main'");
    assertThat(map(production.get("environment"))).containsEntry("name", "production");
    assertThat(runs(production)).anySatisfy(r -> assertThat(r).contains("values-production.yaml", "--atomic"));
    assertThat(map(deploy.get("concurrency"))).containsEntry("cancel-in-progress", false);
    assertThat(g.report()).extracting(ReportLine::outcome)
        .contains("deploy.yml: develop → staging (helm upgrade --install --wait --atomic)");
  }

  @Test
  void deploy_promotedProduction_requestsAPromotion_andStagingDeploysThroughTheTeamServer() throws Exception {
    Generated g = generator.generate(ShopExample.load("production"), ShopExample.options(ShopExample.FILE, "production", null));
    Map<String, Object> deploy = yaml(g.files().get(".github/workflows/deploy.yml"));
    Map<String, Object> server = Map.of("SLIPWAY_SERVER", "${{ vars.SLIPWAY_SERVER }}",
        "SLIPWAY_TOKEN", "${{ secrets.SLIPWAY_TOKEN }}");

    assertThat(validate(deploy)).isEmpty();
    Map<String, Object> jobs = map(deploy.get("jobs"));
    assertThat(jobs).containsOnlyKeys("staging", "production");
    Map<String, Object> production = map(jobs.get("production"));
    assertThat(production.get("if").toString()).contains("head_branch == 'main'", "conclusion == 'success'");
    assertThat(production.get("runs-on")).isEqualTo(List.of("self-hosted", "slipway"))
        .isEqualTo(map(map(workflow("preview.yml").get("jobs")).get("deploy")).get("runs-on"));
    assertThat(runs(production)).containsExactly("slipway -f slipway.yaml promote --to production --yes"
        + " --reason \"deploy.yml: main at ${{ github.event.workflow_run.head_sha }}\"");
    assertThat(steps(production)).filteredOn(s -> s.containsKey("run"))
        .allSatisfy(s -> assertThat(map(s.get("env"))).containsExactlyInAnyOrderEntriesOf(server));
    // The job requests and ends: no --wait on an approval, no cluster credentials, no Helm.
    assertThat(uses(production)).containsExactly("actions/checkout@v4");

    Map<String, Object> staging = map(jobs.get("staging"));
    assertThat(staging.get("if").toString()).contains("head_branch == 'develop'");
    assertThat(staging.get("runs-on")).isEqualTo(List.of("self-hosted", "slipway"));
    assertThat(runs(staging)).containsExactly(
        "slipway -f slipway.yaml deploy api --env staging --image-tag sha-${{ github.event.workflow_run.head_sha }}"
            + " --wait --reason \"deploy.yml: develop at ${{ github.event.workflow_run.head_sha }}\"",
        "slipway -f slipway.yaml deploy web --env staging --image-tag sha-${{ github.event.workflow_run.head_sha }}"
            + " --wait --reason \"deploy.yml: develop at ${{ github.event.workflow_run.head_sha }}\"",
        "slipway -f slipway.yaml deploy worker --env staging --image-tag sha-${{ github.event.workflow_run.head_sha }}"
            + " --wait --reason \"deploy.yml: develop at ${{ github.event.workflow_run.head_sha }}\"");
    assertThat(steps(staging)).filteredOn(s -> s.containsKey("run"))
        .allSatisfy(s -> assertThat(map(s.get("env"))).containsExactlyInAnyOrderEntriesOf(server));
    assertThat(uses(staging)).containsExactly("actions/checkout@v4");
    assertThat(g.files().get(".github/workflows/deploy.yml")).doesNotContain("helm", "KUBECONFIG");
    // ci.yml pushes the tag deploy.yml deploys.
    assertThat(g.files().get(".github/workflows/ci.yml")).contains("type=sha,format=long");

    assertThat(g.report()).filteredOn(l -> l.modelPath().equals("environments.production")).extracting(ReportLine::outcome)
        .anySatisfy(o -> assertThat(o).startsWith("deploy.yml: main → production by promotion through the team server"
            + " (slipway promote --to production; its gates decide)"));
    assertThat(g.report()).filteredOn(l -> l.modelPath().equals("environments.staging")).extracting(ReportLine::outcome)
        .anySatisfy(o -> assertThat(o).startsWith("deploy.yml: develop → staging through the team server"));
  }

  @Test
  void deploy_localEnvironmentInAPromotion_keepsItsDirectJob_andTheReportSaysTheServerCannotVerifyIt(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("slipway.yaml");
    Files.writeString(file, Files.readString(Path.of("src/test/resources/github-actions/local-staging/slipway.yaml"))
        .replace("production: { target: kubernetes, namespace: notes }",
            "production: { target: kubernetes, namespace: notes, promotion: { from: staging }, protected: true }"));
    Generated g = ShopExample.generate(generator, file, "production");

    Map<String, Object> jobs = map(yaml(g.files().get(".github/workflows/deploy.yml")).get("jobs"));
    assertThat(runs(jobs.get("staging"))).containsExactly("slipway -f slipway.yaml deploy api --env staging --wait");
    assertThat(runs(jobs.get("production"))).singleElement()
        .satisfies(r -> assertThat(r).startsWith("slipway -f slipway.yaml promote --to production"));
    assertThat(g.report()).filteredOn(l -> !l.expressed()).extracting(ReportLine::modelPath)
        .contains("environments.staging.promotion", "environments.production.promotion");
  }

  @Test
  void helmSteps_useTheChartAndValuesFilesTheHelmTargetWrites(@TempDir Path dir) throws Exception {
    Path file = withoutPromotion(dir);
    Generated g = ShopExample.generate(generator, file, "production");
    Generated helm = ShopExample.generate(new HelmChartGenerator(), file, "production");

    List<String> valuesFiles = new ArrayList<>();
    for (String name : List.of("deploy.yml", "preview.yml")) {
      for (Object job : map(yaml(g.files().get(".github/workflows/" + name)).get("jobs")).values()) {
        for (String run : runs(job)) {
          java.util.regex.Matcher m = java.util.regex.Pattern.compile("helm upgrade --install \\S+ (\\S+) .*--values (\\S+)").matcher(run);
          if (m.find()) {
            assertThat(helm.files()).containsKey(m.group(1) + "/Chart.yaml");
            valuesFiles.add(m.group(2));
          }
        }
      }
    }
    assertThat(valuesFiles).containsExactlyInAnyOrder("helm/shop/values-staging.yaml", "helm/shop/values-production.yaml");
    assertThat(helm.files()).containsKeys(valuesFiles.toArray(String[]::new));
    // deploy.yml installs the commit's images through values keys the chart really has.
    Map<String, Object> services = map(yaml(helm.files().get("helm/shop/values.yaml")).get("services"));
    java.util.regex.Matcher set = java.util.regex.Pattern.compile("--set-string services\\.([a-z0-9-]+)\\.image\\.tag=sha-")
        .matcher(g.files().get(".github/workflows/deploy.yml"));
    List<String> tagged = new ArrayList<>();
    while (set.find()) {
      tagged.add(set.group(1));
      assertThat(map(map(services.get(set.group(1))).get("image"))).containsKey("tag");
    }
    assertThat(tagged).containsOnly("api", "web", "worker").hasSize(6);
    assertThat(g.files().get(".github/workflows/ci.yml")).contains("type=sha,format=long");
  }

  @Test
  void deploy_localTargetEnvironment_usesSlipwayDeployOnASelfHostedRunner() throws Exception {
    Path file = Path.of("src/test/resources/github-actions/local-staging/slipway.yaml");
    Generated g = ShopExample.generate(generator, file, "production");

    Map<String, Object> deploy = yaml(g.files().get(".github/workflows/deploy.yml"));
    assertThat(validate(deploy)).isEmpty();
    Map<String, Object> staging = map(map(deploy.get("jobs")).get("staging"));
    assertThat(staging.get("runs-on")).isEqualTo(List.of("self-hosted", "slipway-staging"));
    assertThat(runs(staging)).containsExactly("slipway -f slipway.yaml deploy api --env staging --wait");
    assertThat(runs(map(map(deploy.get("jobs")).get("production")))).anySatisfy(r -> assertThat(r).contains("helm upgrade"));
  }

  @Test
  void preview_pullRequestGetsASlipwayPreview_withItsUrlsCommented_andClosingRemovesIt() throws Exception {
    Map<String, Object> preview = workflow("preview.yml");

    assertThat(list(map(map(preview.get("on")).get("pull_request")).get("types")))
        .containsExactly("opened", "synchronize", "reopened", "closed");
    Map<String, Object> jobs = map(preview.get("jobs"));
    assertThat(map(jobs.get("deploy")).get("if")).isEqualTo("github.event.action != 'closed'");
    assertThat(runs(jobs.get("deploy"))).anySatisfy(r -> assertThat(r)
        .contains("slipway -f slipway.yaml preview up pr-${{ github.event.number }} --ttl 48h --from staging"))
        .anySatisfy(r -> assertThat(r).contains("gh pr comment ${{ github.event.number }}"));
    assertThat(map(jobs.get("destroy")).get("if")).isEqualTo("github.event.action == 'closed'");
    assertThat(runs(jobs.get("destroy"))).anySatisfy(r -> assertThat(r)
        .isEqualTo("slipway -f slipway.yaml preview down pr-${{ github.event.number }}"));
  }

  @Test
  void generatingTwice_givesIdenticalBytes() throws Exception {
    GenerateOptions options = ShopExample.options(ShopExample.FILE, "production", null);
    assertThat(generator.generate(ShopExample.load("production"), options).files())
        .isEqualTo(generator.generate(ShopExample.load("production"), options).files());
  }

  /** The shop's model without its promotion keys, as {@code dir/slipway.yaml}: deploy.yml deploys both directly. */
  static Path withoutPromotion(Path dir) throws IOException {
    String shop = Files.readString(ShopExample.FILE);
    String without = shop.replaceAll("(?m)^ +(promotion: \\{[^\n]*|protected: true)\n", "");
    assertThat(without).as("the shop's promotion keys").isNotEqualTo(shop).doesNotContain("promotion:", "protected:");
    Path file = dir.resolve("slipway.yaml");
    Files.writeString(file, without);
    return file;
  }

  static Map<String, String> workflows(Generated g) {
    Map<String, String> out = new java.util.TreeMap<>(g.files());
    out.keySet().removeIf(k -> !k.startsWith(".github/workflows/"));
    return out;
  }

  private Map<String, Object> workflow(String name) throws Exception {
    Generated g = generator.generate(ShopExample.load("production"), ShopExample.options(ShopExample.FILE, "production", null));
    return yaml(g.files().get(".github/workflows/" + name));
  }

  static Set<ValidationMessage> validate(Map<String, Object> workflow) {
    try {
      loadSchema();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    JsonNode node = JSON.valueToTree(workflow);
    return schema.validate(node);
  }

  static List<Map<String, Object>> steps(Object job) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object s : list(map(job).get("steps"))) {
      out.add(map(s));
    }
    return out;
  }

  static List<String> runs(Object job) {
    return steps(job).stream().filter(s -> s.containsKey("run")).map(s -> s.get("run").toString()).toList();
  }

  private static List<String> uses(Object job) {
    return steps(job).stream().filter(s -> s.containsKey("uses")).map(s -> s.get("uses").toString()).toList();
  }

  private static Map<String, Object> step(Object job, String action) {
    return steps(job).stream().filter(s -> action.equals(s.get("uses"))).findFirst().orElseThrow();
  }
}
