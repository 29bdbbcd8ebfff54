package dev.slipway.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every generated Kubernetes object validates against the official Kubernetes OpenAPI schemas, offline,
 * with npm {@code kubernetes-models@5.1.0} (installed once into {@code target/npm}). Custom resources it
 * has no schema for — Argo Rollouts, External Secrets, Gateway API — are skipped by API group, named
 * here ({@link #CRD_GROUPS}); {@link CrdShapesTest} checks their required fields instead. Needs node and
 * npm; fails if they are missing.
 */
class KubernetesOpenApiTest {
  /** API groups of custom resources: skipped here, checked structurally by {@link CrdShapesTest}. */
  static final List<String> CRD_GROUPS = List.of("argoproj.io", "external-secrets.io", "gateway.networking.k8s.io");
  private static final Path NPM_DIR = Path.of("target/npm").toAbsolutePath();
  private static final Path SCRIPT = NPM_DIR.resolve("validate-k8s.mjs");

  @TempDir
  Path tmp;

  @BeforeAll
  static void installKubernetesModels() throws Exception {
    if (!Files.isDirectory(NPM_DIR.resolve("node_modules/kubernetes-models"))) {
      Files.createDirectories(NPM_DIR);
      Result r = run(List.of("npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", NPM_DIR.toString(),
          "kubernetes-models@5.1.0"), 300);
      assertThat(r.exit).as("npm install kubernetes-models@5.1.0:\n%s", r.output).isZero();
    }
    // Copied beside node_modules: ES module imports resolve from the script's own directory.
    Files.copy(Path.of("src/test/node/validate-k8s.mjs"), SCRIPT, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void objects_inEveryKubernetesEnvironmentWithAndWithoutArgoRollouts_validateAgainstTheKubernetesOpenApi()
      throws Exception {
    List<Map<String, Object>> all = new ArrayList<>();
    for (Path model : List.of(KubeFixtures.SHOP, KubeFixtures.fixture("environments.yaml"))) {
      for (String env : KubeFixtures.kubernetesEnvironments(model)) {
        all.addAll(KubeFixtures.objects(model, env, false));
        all.addAll(KubeFixtures.objects(model, env, true));
      }
    }
    long customResources = all.stream().filter(KubernetesOpenApiTest::customResource).count();
    long kubernetesObjects = all.size() - customResources;

    Result r = validate(all);

    assertThat(r.exit).as(r.output).isZero();
    assertThat(r.output).doesNotContain("error:").contains("validated " + kubernetesObjects + "\n")
        .contains("skipped " + customResources + "\n");
    assertThat(kubernetesObjects).isGreaterThan(50);
    assertThat(all).extracting(Kube::kind).contains("Rollout", "AnalysisTemplate", "ExternalSecret", "HTTPRoute");
  }

  @Test
  void validator_whenObjectOfAnUnlistedGroupHasNoSchema_reportsItInsteadOfSkipping() throws Exception {
    Map<String, Object> unknown = Kube.object("example.com/v1", "Widget", "w", "shop", null);

    Result r = validate(List.of(unknown));

    assertThat(r.exit).isEqualTo(1);
    assertThat(r.output).contains("error: example.com/v1 Widget w: no schema").contains("skipped 0");
  }

  static boolean customResource(Map<String, Object> object) {
    String apiVersion = String.valueOf(object.get("apiVersion"));
    return apiVersion.contains("/") && CRD_GROUPS.contains(apiVersion.substring(0, apiVersion.indexOf('/')));
  }

  @Test
  void validator_whenObjectBreaksTheSchema_reportsIt() throws Exception {
    Map<String, Object> deployment = KubeFixtures.find(KubeFixtures.objects(KubeFixtures.SHOP, "production", false),
        "Deployment", "worker");
    Kube.child(deployment, "spec").put("replicas", "three");

    Result r = validate(List.of(deployment));

    assertThat(r.exit).isEqualTo(1);
    assertThat(r.output).contains("error: apps/v1 Deployment worker").contains("validated 0");
  }

  private Result validate(List<Map<String, Object>> objects) throws Exception {
    Path file = tmp.resolve("objects.json");
    Files.writeString(file, new ObjectMapper().writeValueAsString(objects));
    List<String> command = new ArrayList<>(List.of("node", SCRIPT.toString(), file.toString()));
    command.addAll(CRD_GROUPS);
    return run(command, 120);
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command, int timeoutSeconds) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      throw new AssertionError(command.getFirst() + " is needed for the Kubernetes OpenAPI check but cannot run ("
          + e.getMessage() + "); install Node.js 20+ and npm (bin/setup-test-machine does as root)", e);
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(timeoutSeconds, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    return new Result(p.exitValue(), output);
  }
}
