package dev.slipway.generate;

import static dev.slipway.generate.Workflows.map;
import static dev.slipway.generate.Workflows.run;
import static dev.slipway.generate.Workflows.uses;

import dev.slipway.generate.Generated.ReportLine;
import dev.slipway.model.AppSpec;
import dev.slipway.model.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ci.yml}: build and test on every push and pull request, review new dependencies on pull
 * requests, and per service build an image with Buildx (layer cache in the GitHub Actions cache),
 * scan it with Trivy and push it to GHCR with semver, branch, pull-request, commit-SHA and
 * {@code latest} tags. Pull requests build and scan but never push.
 */
final class WorkflowCi {
  static final String TAGS = String.join("\n",
      "type=semver,pattern={{version}}",
      "type=semver,pattern={{major}}.{{minor}}",
      "type=ref,event=branch",
      "type=ref,event=pr",
      "type=sha,format=long",
      "type=raw,value=latest,enable={{is_default_branch}}");
  static final String NOT_PR = "github.event_name != 'pull_request'";

  private WorkflowCi() {}

  static Map<String, Object> workflow(AppSpec app, GenerateOptions options, String dir, List<ReportLine> report) {
    Map<String, Object> on = map(
        "push", map("branches", List.of("main", "develop"), "tags", List.of("v*.*.*")),
        "pull_request", map("branches", List.of("main", "develop")));
    Map<String, Object> jobs = new LinkedHashMap<>();
    jobs.put("build", build(app, report));
    jobs.put("dependency-review", map(
        "name", "Dependency review",
        "if", "github.event_name == 'pull_request'",
        "runs-on", Workflows.RUNNER,
        "steps", List.of(uses(null, Workflows.CHECKOUT, null),
            uses("Fail on new vulnerable dependencies", Workflows.DEPENDENCY_REVIEW, map("fail-on-severity", "high")))));
    List<Object> matrix = matrix(app, options, report);
    if (!matrix.isEmpty()) {
      jobs.put("image", image(matrix, dir));
    }
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("name", "ci");
    w.put("on", on);
    w.put("permissions", map("contents", "read"));
    // A newer push to a pull request makes the running check pointless; pushes to branches all finish.
    w.put("concurrency", map("group", "ci-${{ github.ref }}",
        "cancel-in-progress", "${{ github.event_name == 'pull_request' }}"));
    if (!dir.isEmpty()) {
      w.put("defaults", map("run", map("working-directory", dir)));
    }
    w.put("jobs", jobs);
    return w;
  }

  private static Map<String, Object> build(AppSpec app, List<ReportLine> report) {
    List<Object> steps = new ArrayList<>();
    steps.add(uses(null, Workflows.CHECKOUT, null));
    steps.add(setupJava());
    Set<String> commands = new LinkedHashSet<>();
    for (ServiceSpec s : app.services().values()) {
      if (s.build() != null) {
        commands.add(s.build().command());
        report.add(new ReportLine("services." + s.name() + ".build.command", "ci.yml build step `"
            + s.build().command() + "`", true));
      }
    }
    if (commands.isEmpty()) {
      commands.add("mvn -B -ntp -DskipTests package");
    }
    int i = 0;
    for (String command : commands) {
      steps.add(run(commands.size() == 1 ? "Build" : "Build " + ++i, command));
    }
    steps.add(run("Unit tests", "mvn -B -ntp test"));
    steps.add(run("Integration tests", "mvn -B -ntp verify"));
    report.add(new ReportLine("(tests)", "ci.yml runs `mvn test` and `mvn verify` (the model names no test command; "
        + "verify runs the unit tests again before the integration tests)", false));
    return map("name", "Build and test", "runs-on", Workflows.RUNNER, "steps", steps);
  }

  static Map<String, Object> setupJava() {
    return uses(null, Workflows.SETUP_JAVA, map("distribution", "temurin", "java-version", "21", "cache", "maven"));
  }

  private static List<Object> matrix(AppSpec app, GenerateOptions options, List<ReportLine> report) {
    List<Object> include = new ArrayList<>();
    for (ServiceSpec s : app.services().values()) {
      String path = "services." + s.name() + ".image";
      if (s.image() == null) {
        report.add(new ReportLine(path, "no image built: the service has no `image:`", false));
        continue;
      }
      String repository = repository(s.image());
      if (!repository.startsWith("ghcr.io/")) {
        report.add(new ReportLine(path, "pushed to GHCR as ghcr.io/${{ github.repository }}-" + s.name()
            + " instead of " + repository + " (ci.yml pushes to GHCR only)", false));
        repository = "ghcr.io/${{ github.repository }}-" + s.name();
      } else {
        report.add(new ReportLine(path, "ci.yml builds " + s.name() + "/Dockerfile, scans it with Trivy and pushes "
            + repository + " tagged by semver, branch, PR, sha-FULLCOMMIT (what deploy.yml installs) and latest", true));
      }
      Map<String, Object> entry = map("service", s.name(), "image", repository);
      if (s.build() != null) {
        entry.put("build", s.build().command());
      }
      include.add(entry);
    }
    return include;
  }

  private static Map<String, Object> image(List<Object> include, String dir) {
    Map<String, Object> build = map(
        "context", dir.isEmpty() ? "." : dir,
        "file", Workflows.inRepository(dir, "${{ matrix.service }}/Dockerfile"),
        "tags", "${{ steps.meta.outputs.tags }}",
        "labels", "${{ steps.meta.outputs.labels }}",
        "cache-from", "type=gha,scope=${{ matrix.service }}",
        "cache-to", "type=gha,mode=max,scope=${{ matrix.service }}");
    Map<String, Object> load = new LinkedHashMap<>(build);
    load.put("load", true);
    Map<String, Object> push = new LinkedHashMap<>(build);
    push.put("push", true);
    List<Object> steps = new ArrayList<>();
    steps.add(uses(null, Workflows.CHECKOUT, null));
    steps.add(setupJava());
    steps.add(Workflows.with("if", "matrix.build != ''", run("Build ${{ matrix.service }}", "${{ matrix.build }}")));
    steps.add(uses(null, Workflows.SETUP_BUILDX, null));
    steps.add(Workflows.with("if", NOT_PR, uses("Log in to GHCR", Workflows.LOGIN, map("registry", "ghcr.io",
        "username", "${{ github.actor }}", "password", "${{ secrets.GITHUB_TOKEN }}"))));
    steps.add(Workflows.with("id", "meta",
        uses("Image tags", Workflows.METADATA, map("images", "${{ matrix.image }}", "tags", TAGS))));
    steps.add(uses("Build image", Workflows.BUILD_PUSH, load));
    steps.add(uses("Scan image", Workflows.TRIVY, map(
        "image-ref", "${{ matrix.image }}:${{ steps.meta.outputs.version }}",
        "severity", "CRITICAL,HIGH",
        "ignore-unfixed", true,
        "exit-code", "1")));
    steps.add(Workflows.with("if", NOT_PR, uses("Push image", Workflows.BUILD_PUSH, push)));
    return map(
        "name", "Image ${{ matrix.service }}",
        "needs", "build",
        "runs-on", Workflows.RUNNER,
        "permissions", map("contents", "read", "packages", "write"),
        "strategy", map("fail-fast", false, "matrix", map("include", include)),
        "steps", steps);
  }

  /** {@code ghcr.io/acme/shop-api:1.0.0} → {@code ghcr.io/acme/shop-api}. */
  static String repository(String image) {
    String s = image;
    int digest = s.indexOf('@');
    if (digest >= 0) {
      s = s.substring(0, digest);
    }
    int colon = s.lastIndexOf(':');
    return colon > s.lastIndexOf('/') ? s.substring(0, colon) : s;
  }
}
