package dev.slipway.model;

import static dev.slipway.model.Models.error;
import static dev.slipway.model.Models.errors;
import static dev.slipway.model.Models.fixture;
import static dev.slipway.model.Models.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What a {@code kubernetes} environment says about its cluster: {@code context}, {@code prometheus},
 * {@code gitops}, {@code requireDigests}.
 */
class ModelLoaderClusterSettingsTest {

  private static String env(String body) {
    return "name: shop\nenvironments:\n  prod:\n    target: kubernetes\n" + body;
  }

  private static ClusterSettings cluster(String body) {
    return parse(env(body)).environments().get("prod").cluster();
  }

  @Test
  void load_whenFixtureSetsEverything_bindsEachEnvironmentsSettings() {
    Path file = fixture("cluster.yaml");
    AppSpec app = ModelLoader.load(file, "production");

    String deployRepo = file.toAbsolutePath().normalize().getParent().resolve("../deploy.git").normalize().toString();
    assertThat(app.environments().get("staging").cluster()).isEqualTo(new ClusterSettings("kind-staging",
        new PrometheusSpec(URI.create("http://localhost:9090")), new GitOpsSpec(deployRepo, "main", "deploy/staging"),
        false));
    assertThat(app.environments().get("production").cluster()).isEqualTo(new ClusterSettings(
        "arn:aws:eks:eu-west-1:123456789012:cluster/prod",
        new PrometheusSpec(URI.create("https://prometheus.monitoring.svc:9090/prom"), "ingress-nginx",
            "sum by (release, code) (nginx_ingress_controller_requests{namespace=\"{{namespace}}\", "
                + "service=~\"{{service}}.*\"})", null),
        new GitOpsSpec("git@github.com:acme/deploy.git", "release/prod", "clusters/prod/shop"), true));
    assertThat(app.environments().get("dev").cluster()).isSameAs(ClusterSettings.NONE);
    assertThat(ModelLoader.validateAll(file)).isEmpty();
  }

  @Test
  void load_whenNoneSet_isNone() {
    assertThat(cluster("")).isSameAs(ClusterSettings.NONE);
    assertThat(cluster("    context:\n    requireDigests: false\n")).isEqualTo(ClusterSettings.NONE);
  }

  @Test
  void load_whenPrometheusIsAMapWithUrlOnly_defaultsToMicrometer() {
    PrometheusSpec prometheus = cluster("    prometheus: { url: \"HTTPS://prom.example.com\" }\n").prometheus();

    assertThat(prometheus)
        .isEqualTo(new PrometheusSpec(URI.create("HTTPS://prom.example.com"), "micrometer", null, null));
  }

  @Test
  void load_whenGitOpsRepoIsAUrl_keepsItAndDefaultsBranchAndPath() {
    assertThat(cluster("    gitops: { repo: \"https://github.com/acme/deploy.git\" }\n").gitops())
        .isEqualTo(new GitOpsSpec("https://github.com/acme/deploy.git", "main", "deploy/prod"));
    assertThat(cluster("    gitops: { repo: /srv/git/deploy.git, path: ./ }\n").gitops())
        .isEqualTo(new GitOpsSpec("/srv/git/deploy.git", "main", "."));
  }

  @Test
  void load_whenKeysSetOnALocalEnvironment_saysTheyNeedKubernetes_butDevMustStayLocal() {
    assertThat(errors("name: shop\nenvironments:\n  lab:\n    context: kind\n    prometheus: http://p:9090\n"
        + "  dev:\n    gitops: { repo: x }\n    requireDigests: false\n")).containsExactly(
        "slipway.yaml:4:5: environments.lab.context: `context` is only used with `target: kubernetes`\n"
            + "    remove `context:`, or add `target: kubernetes`",
        "slipway.yaml:5:5: environments.lab.prometheus: `prometheus` is only used with `target: kubernetes`\n"
            + "    remove `prometheus:`, or add `target: kubernetes`",
        "slipway.yaml:7:5: environments.dev.gitops: `gitops` is only used with `target: kubernetes`\n"
            + "    remove `gitops:`; `dev` runs locally, with `slipway up`",
        "slipway.yaml:8:5: environments.dev.requireDigests: `requireDigests` is only used with `target: kubernetes`\n"
            + "    remove `requireDigests:`; `dev` runs locally, with `slipway up`");
  }

  @Test
  void load_whenEnvironmentKeyMisspelt_suggestsIt() {
    assertThat(error(env("    requireDigest: true\n"))).isEqualTo("slipway.yaml:5:5: "
        + "environments.prod.requireDigest: unknown key `requireDigest`\n    did you mean `requireDigests`?");
  }

  @Test
  void load_whenContextEmpty_asksForAName() {
    assertThat(error(env("    context: \"  \"\n"))).isEqualTo("slipway.yaml:5:14: environments.prod.context: "
        + "the context name is empty\n    write the name of a context in your kubeconfig (`kubectl config "
        + "get-contexts` lists them), or remove `context:` to use the current one");
  }

  @Test
  void load_whenContextIsAMap_saysAStringIsExpected() {
    assertThat(error(env("    context: { name: kind }\n"))).isEqualTo("slipway.yaml:5:14: environments.prod.context: "
        + "expected a string, found a map\n    write a single value; quote it if it starts with `{` or `[`");
  }

  @Test
  void load_whenRequireDigestsIsNotABoolean_saysSo() {
    assertThat(error(env("    requireDigests: yes\n"))).isEqualTo("slipway.yaml:5:21: "
        + "environments.prod.requireDigests: expected true or false, found `yes`\n    write `true` or `false`");
  }

  @Test
  void load_whenPrometheusUrlHasNoScheme_suggestsHttp() {
    assertThat(error(env("    prometheus: prometheus.monitoring:9090\n"))).isEqualTo("slipway.yaml:5:17: "
        + "environments.prod.prometheus: expected an http:// or https:// URL, found `prometheus.monitoring:9090`\n"
        + "    write `http://prometheus.monitoring:9090` (or https://)");
  }

  @Test
  void load_whenPrometheusUrlIsWrong_saysWhatIsWrongWithIt() {
    assertThat(errors(env("    prometheus: { url: \"ftp://p:9090\" }\n"))).containsExactly("slipway.yaml:5:24: "
        + "environments.prod.prometheus.url: unsupported URL scheme `ftp`\n"
        + "    Prometheus is read over HTTP: write the base URL of its HTTP API, e.g. "
        + "`http://prometheus.monitoring:9090`");
    assertThat(error(env("    prometheus: http://admin:hunter2@p:9090\n"))).isEqualTo("slipway.yaml:5:17: "
        + "environments.prod.prometheus: the URL holds credentials\n    remove `admin:hunter2@`; Slipway reads "
        + "Prometheus without credentials (reach it through `kubectl port-forward` or an internal address)");
    assertThat(error(env("    prometheus: http://p:9090/api/v1/query?query=up\n"))).contains(
        "environments.prod.prometheus: the URL has a query (`?…`)");
    assertThat(error(env("    prometheus: http://p:99999\n"))).contains("port 99999 is out of range");
    assertThat(error(env("    prometheus: http://my_prom:9090\n"))).contains("the URL has no valid host name");
    assertThat(error(env("    prometheus: \"http://p 1:9090\"\n"))).startsWith(
        "slipway.yaml:5:17: environments.prod.prometheus: invalid URL `http://p 1:9090`: Illegal character");
  }

  @Test
  void load_whenPrometheusUrlHoldsAReference_saysOnlyThatItIsNeverExpanded() {
    assertThat(error(env("    prometheus: \"http://${secrets.host}:9090\"\n"))).startsWith(
        "slipway.yaml:5:25: environments.prod.prometheus: `${secrets.host}` is never expanded here");
  }

  @Test
  void load_whenPrometheusMapLacksUrl_asksForIt() {
    assertThat(error(env("    prometheus: { metrics: envoy-gateway }\n"))).isEqualTo("slipway.yaml:5:5: "
        + "environments.prod.prometheus: missing required key `url`\n"
        + "    add `url: http://prometheus.monitoring:9090`, the base URL of its HTTP API");
  }

  @Test
  void load_whenPrometheusKeyMisspelt_suggestsTheKeyOnce() {
    assertThat(error(env("    prometheus: { ulr: http://p:9090 }\n"))).isEqualTo("slipway.yaml:5:19: "
        + "environments.prod.prometheus.ulr: unknown key `ulr`\n    did you mean `url`?");
  }

  @Test
  void load_whenMetricsMisspelt_suggestsTheWord() {
    assertThat(error(env("    prometheus: { url: http://p:9090, metrics: ingress-ngnix }\n"))).isEqualTo(
        "slipway.yaml:5:48: environments.prod.prometheus.metrics: unknown value `ingress-ngnix`\n"
            + "    did you mean `ingress-nginx`?");
    assertThat(error(env("    prometheus: { url: http://p:9090, metrics: datadog }\n"))).endsWith(
        "unknown value `datadog`\n    use one of micrometer, ingress-nginx, envoy-gateway");
  }

  @Test
  void load_whenPrometheusIsAList_showsWhatToWrite() {
    assertThat(error(env("    prometheus: [http://p:9090]\n"))).isEqualTo("slipway.yaml:5:17: "
        + "environments.prod.prometheus: expected a map, found a list\n    write its URL, e.g. "
        + "`prometheus: http://prometheus.monitoring:9090`, or `prometheus: { url: http://prometheus.monitoring:9090, "
        + "metrics: ingress-nginx }`");
  }

  @Test
  void load_whenQueryTemplateHasAnUnknownPlaceholder_pointsAtIt() {
    assertThat(error(env("    prometheus: { url: http://p:9090, requests: 'sum(x{ns=\"{{namspace}}\"})' }\n")))
        .isEqualTo("slipway.yaml:5:60: environments.prod.prometheus.requests: unknown placeholder `{{namspace}}`\n"
            + "    did you mean `{{namespace}}`?");
    assertThat(error(env("    prometheus: { url: http://p:9090, buckets: 'x[{{window}}]' }\n")))
        .endsWith("unknown placeholder `{{window}}`\n    use `{{namespace}}` or `{{service}}`");
  }

  @Test
  void load_whenQueryTemplateEmpty_saysSo() {
    assertThat(error(env("    prometheus: { url: http://p:9090, buckets: \"\" }\n"))).isEqualTo("slipway.yaml:5:48: "
        + "environments.prod.prometheus.buckets: the query is empty\n"
        + "    write a PromQL expression, or remove `buckets:` to use the default query of `metrics`");
  }

  @Test
  void load_whenGitOpsLacksRepo_asksForIt() {
    assertThat(error(env("    gitops: { branch: main }\n"))).isEqualTo("slipway.yaml:5:5: "
        + "environments.prod.gitops: missing required key `repo`\n"
        + "    add `repo:`, the repository's URL (e.g. `git@github.com:acme/deploy.git`) or path");
  }

  @Test
  void load_whenGitOpsKeyMisspelt_suggestsIt() {
    assertThat(error(env("    gitops: { repo: x, brnach: main }\n"))).isEqualTo("slipway.yaml:5:24: "
        + "environments.prod.gitops.brnach: unknown key `brnach`\n    did you mean `branch`?");
  }

  @Test
  void load_whenGitOpsIsText_showsTheMapToWrite() {
    assertThat(error(env("    gitops: git@github.com:acme/deploy.git\n"))).isEqualTo("slipway.yaml:5:13: "
        + "environments.prod.gitops: expected a map, found `git@github.com:acme/deploy.git`\n"
        + "    write e.g. `gitops: { repo: \"git@github.com:acme/deploy.git\", branch: main, path: deploy/prod }`");
  }

  @Test
  void load_whenGitOpsRepoStartsWithTilde_asksForTheFullPath() {
    assertThat(error(env("    gitops: { repo: ~/deploy.git }\n"))).isEqualTo("slipway.yaml:5:21: "
        + "environments.prod.gitops.repo: `~` is not expanded here\n"
        + "    write the full path, e.g. `/home/me/deploy.git`, or a path relative to the model's directory");
  }

  @Test
  void load_whenGitOpsBranchInvalid_saysWhatGitAccepts() {
    for (String branch : new String[] {"\"my branch\"", "a..b", "-x", "x.lock", "feature/", "\"a:b\""}) {
      assertThat(error(env("    gitops: { repo: x, branch: " + branch + " }\n"))).as(branch)
          .startsWith("slipway.yaml:5:32: environments.prod.gitops.branch: invalid branch name")
          .endsWith("write a branch name git accepts, e.g. `main` or `deploy/staging` (no spaces, `..`, `~^:?*[\\`)");
    }
  }

  @Test
  void load_whenGitOpsPathLeavesTheRepository_saysSo() {
    assertThat(error(env("    gitops: { repo: x, path: ../prod }\n"))).isEqualTo("slipway.yaml:5:30: "
        + "environments.prod.gitops.path: the path leaves the repository (`..`)\n"
        + "    write a directory inside the repository, e.g. `deploy/prod`, or `.` for its root");
    assertThat(error(env("    gitops: { repo: x, path: /deploy }\n"))).contains("gitops.path: the path is absolute");
    assertThat(error(env("    gitops: { repo: x, path: a/.git/b }\n")))
        .contains("gitops.path: the path is inside `.git`");
  }
}
