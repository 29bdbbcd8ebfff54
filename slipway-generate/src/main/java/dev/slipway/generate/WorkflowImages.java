package dev.slipway.generate;

import static dev.slipway.generate.Workflows.map;
import static dev.slipway.generate.Workflows.run;
import static dev.slipway.generate.Workflows.uses;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image jobs of {@code ci.yml}, one matrix per way of building: Dockerfiles with Buildx (layer
 * cache in the GitHub Actions cache), Jib with Maven into the runner's Docker engine. Both tag with
 * docker/metadata-action (including {@code sha-FULLCOMMIT}, which deploy.yml installs), scan the
 * built image with Trivy, and push exactly what was scanned, never on pull requests.
 */
final class WorkflowImages {
  static final String TAGS = String.join("\n",
      "type=semver,pattern={{version}}",
      "type=semver,pattern={{major}}.{{minor}}",
      "type=ref,event=branch",
      "type=ref,event=pr",
      "type=sha,format=long",
      "type=raw,value=latest,enable={{is_default_branch}}");
  static final String NOT_PR = "github.event_name != 'pull_request'";
  /**
   * Jib takes one image name and a list of extra tags (names only): metadata-action's full references
   * become {@code -Djib.to.tags}. The values reach the script as environment variables, never pasted
   * into it.
   */
  static final String JIB_SCRIPT = """
      tags=$(printf '%s\\n' "$TAGS" | sed 's/.*://' | paste -sd, -)
      ${{ matrix.maven }} -Djib.to.image="$IMAGE:$VERSION" -Djib.to.tags="$tags\"""";

  private WorkflowImages() {}

  /** Services with a Dockerfile (their own, generated, or expected): Buildx from the model's directory. */
  static Map<String, Object> dockerJob(List<Object> include, String dir) {
    Map<String, Object> build = map(
        "context", dir.isEmpty() ? "." : dir,
        "file", Workflows.inRepository(dir, "${{ matrix.dockerfile }}"),
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
    steps.add(setupJava("${{ matrix.java }}"));
    // A Dockerfile of the user's may copy what the build made (target/*.jar); generated ones build inside.
    steps.add(Workflows.with("if", "matrix.build != ''", run("Build ${{ matrix.service }}", "${{ matrix.build }}")));
    steps.add(uses(null, Workflows.SETUP_BUILDX, null));
    steps.addAll(loginAndTags());
    steps.add(uses("Build image", Workflows.BUILD_PUSH, load));
    steps.add(scan());
    steps.add(Workflows.with("if", NOT_PR, uses("Push image", Workflows.BUILD_PUSH, push)));
    return job("Image ${{ matrix.service }}", include, steps);
  }

  /** Maven jar projects: Jib builds into the runner's Docker engine, Trivy scans, docker pushes every tag. */
  static Map<String, Object> jibJob(List<Object> include, String dir) {
    List<Object> steps = new ArrayList<>();
    steps.add(uses(null, Workflows.CHECKOUT, null));
    steps.add(setupJava("${{ matrix.java }}"));
    steps.addAll(loginAndTags());
    Map<String, Object> jib = run("Build image with Jib", JIB_SCRIPT);
    jib.put("env", map("IMAGE", "${{ matrix.image }}", "VERSION", "${{ steps.meta.outputs.version }}",
        "TAGS", "${{ steps.meta.outputs.tags }}"));
    steps.add(jib);
    steps.add(scan());
    Map<String, Object> push = run("Push image", "docker push --all-tags \"$IMAGE\"");
    push.put("env", map("IMAGE", "${{ matrix.image }}"));
    steps.add(Workflows.with("if", NOT_PR, push));
    return job("Image ${{ matrix.service }} (Jib)", include, steps);
  }

  private static List<Object> loginAndTags() {
    return List.of(
        Workflows.with("if", NOT_PR, uses("Log in to GHCR", Workflows.LOGIN, map("registry", "ghcr.io",
            "username", "${{ github.actor }}", "password", "${{ secrets.GITHUB_TOKEN }}"))),
        Workflows.with("id", "meta",
            uses("Image tags", Workflows.METADATA, map("images", "${{ matrix.image }}", "tags", TAGS))));
  }

  private static Map<String, Object> scan() {
    return uses("Scan image", Workflows.TRIVY, map(
        "image-ref", "${{ matrix.image }}:${{ steps.meta.outputs.version }}",
        "severity", "CRITICAL,HIGH",
        "ignore-unfixed", true,
        "exit-code", "1"));
  }

  static Map<String, Object> setupJava(String version) {
    return uses(null, Workflows.SETUP_JAVA, map("distribution", "temurin", "java-version", version, "cache", "maven"));
  }

  private static Map<String, Object> job(String name, List<Object> include, List<Object> steps) {
    return map(
        "name", name,
        "needs", "build",
        "runs-on", Workflows.RUNNER,
        "permissions", map("contents", "read", "packages", "write"),
        "strategy", map("fail-fast", false, "matrix", map("include", include)),
        "steps", steps);
  }
}
