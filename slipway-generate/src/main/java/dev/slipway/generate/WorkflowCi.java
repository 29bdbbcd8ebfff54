package dev.slipway.generate;

import static dev.slipway.generate.Workflows.map;
import static dev.slipway.generate.Workflows.run;
import static dev.slipway.generate.Workflows.uses;

import dev.slipway.generate.Generated.ReportLine;
import dev.slipway.generate.ImageBuild.GeneratedDockerfile;
import dev.slipway.generate.ImageBuild.JibBuild;
import dev.slipway.generate.ImageBuild.MissingImage;
import dev.slipway.generate.ImageBuild.OwnDockerfile;
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
 * requests, and per service build an image the way {@link ImageBuilds} decided (a Dockerfile with
 * Buildx, or Jib), scan it with Trivy and push it to GHCR with semver, branch, pull-request,
 * commit-SHA and {@code latest} tags. Pull requests build and scan but never push.
 */
final class WorkflowCi {
  private WorkflowCi() {}

  /** @param images how each service with an image is built, in service order */
  static Map<String, Object> workflow(AppSpec app, Map<String, ImageBuild> images, String dir, List<ReportLine> report) {
    Map<String, Object> on = map(
        "push", map("branches", List.of("main", "develop"), "tags", List.of("v*.*.*")),
        "pull_request", map("branches", List.of("main", "develop")));
    Map<String, Object> jobs = new LinkedHashMap<>();
    jobs.put("build", build(app, images, report));
    jobs.put("dependency-review", map(
        "name", "Dependency review",
        "if", "github.event_name == 'pull_request'",
        "runs-on", Workflows.RUNNER,
        "steps", List.of(uses(null, Workflows.CHECKOUT, null),
            uses("Fail on new vulnerable dependencies", Workflows.DEPENDENCY_REVIEW, map("fail-on-severity", "high")))));
    List<Object> docker = new ArrayList<>();
    List<Object> jib = new ArrayList<>();
    for (ServiceSpec s : app.services().values()) {
      matrixEntry(app, s, images.get(s.name()), docker, jib, report);
    }
    if (!docker.isEmpty()) {
      jobs.put("image", WorkflowImages.dockerJob(docker, dir));
    }
    if (!jib.isEmpty()) {
      jobs.put("image-jib", WorkflowImages.jibJob(jib, dir));
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

  private static Map<String, Object> build(AppSpec app, Map<String, ImageBuild> images, List<ReportLine> report) {
    List<Object> steps = new ArrayList<>();
    steps.add(uses(null, Workflows.CHECKOUT, null));
    steps.add(WorkflowImages.setupJava(Integer.toString(javaRuntime(app))));
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

  /** The newest Java runtime any service's build asks for (CI's JDK), at least {@link JavaVersions#DEFAULT}. */
  private static int javaRuntime(AppSpec app) {
    int max = JavaVersions.DEFAULT;
    for (ServiceSpec s : app.services().values()) {
      max = Math.max(max, JavaProject.of(app, s).map(JavaProject::runtime).orElse(JavaVersions.DEFAULT));
    }
    return max;
  }

  private static void matrixEntry(AppSpec app, ServiceSpec s, ImageBuild how, List<Object> docker, List<Object> jib,
      List<ReportLine> report) {
    String path = "services." + s.name() + ".image";
    if (s.image() == null) {
      report.add(new ReportLine(path, "no image built: the service has no `image:`", false));
      return;
    }
    String repository = repository(s.image());
    if (!repository.startsWith("ghcr.io/")) {
      report.add(new ReportLine(path, "pushed to GHCR as ghcr.io/${{ github.repository }}-" + s.name()
          + " instead of " + repository + " (ci.yml pushes to GHCR only)", false));
      repository = "ghcr.io/${{ github.repository }}-" + s.name();
    }
    // The JDK the image job's Maven (Jib) or build step needs.
    String java = Integer.toString(JavaProject.of(app, s).map(JavaProject::runtime).orElse(JavaVersions.DEFAULT));
    Map<String, Object> entry = map("service", s.name(), "image", repository, "java", java);
    switch (how) {
      case JibBuild j -> {
        entry.put("maven", j.maven());
        jib.add(entry);
      }
      case OwnDockerfile d -> {
        entry.put("dockerfile", d.dockerfile());
        if (s.build() != null) {
          entry.put("build", s.build().command());
        }
        docker.add(entry);
      }
      case GeneratedDockerfile g -> {
        entry.put("dockerfile", g.dockerfile());
        docker.add(entry);
      }
      case MissingImage m -> {
        entry.put("dockerfile", m.expected());
        if (s.build() != null) {
          entry.put("build", s.build().command());
        }
        docker.add(entry);
      }
    }
    boolean built = !(how instanceof MissingImage);
    report.add(new ReportLine(path, (built ? "built with " : "✗ ") + how.how() + (built ? "; ci.yml scans it with "
        + "Trivy and pushes " + repository + " tagged by semver, branch, PR, sha-FULLCOMMIT (what deploy.yml "
        + "installs) and latest" : ": write it, or set `build.dockerfile`"), built));
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
