package dev.slipway.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The kustomize target, built by the real {@code kubectl kustomize}. */
class KustomizeGeneratorTest {
  private static final String KUBECTL = "/usr/bin/kubectl";

  @TempDir
  Path out;

  @Test
  void kustomize_whenShopExample_everyOverlayBuildsTheKubernetesTargetsObjects() throws Exception {
    assertOverlaysEqualKubernetesTarget(KubeFixtures.SHOP, false);
  }

  @Test
  void kustomize_whenEnvironmentsDifferInEveryWay_everyOverlayBuildsTheKubernetesTargetsObjects() throws Exception {
    assertOverlaysEqualKubernetesTarget(KubeFixtures.fixture("environments.yaml"), false);
  }

  @Test
  void kustomize_withArgoRollouts_everyOverlayBuildsTheKubernetesTargetsObjects() throws Exception {
    assertOverlaysEqualKubernetesTarget(KubeFixtures.fixture("environments.yaml"), true);
  }

  @Test
  @SuppressWarnings("unchecked")
  void kustomize_whenReplicasAndTagDiffer_usesReplicasAndImagesFieldsNotPatches() throws Exception {
    Path model = KubeFixtures.fixture("environments.yaml");
    Generated g = new KustomizeGenerator().generate(KubeFixtures.load(model, "production"),
        KubeFixtures.options(model, "production", false));

    Map<String, Object> k = new Yaml().load(g.files().get("kustomize/overlays/production/kustomization.yaml"));
    assertThat(k.get("namespace")).isEqualTo("store");
    assertThat((List<Object>) k.get("replicas")).containsExactly(Map.of("name", "api", "count", 3));
    assertThat((List<Object>) k.get("images"))
        .containsExactly(Map.of("name", "ghcr.io/acme/store-api", "newTag", "2.1.0"));
    assertThat(g.files().keySet()).noneMatch(f -> f.startsWith("kustomize/base/") && f.endsWith("namespace.yaml"));
    assertThat(g.files().get("kustomize/base/store.yaml")).doesNotContain("namespace: store");
  }

  @Test
  void kustomize_whenOnlyProductionHasSecretStoreAndGateway_overlayAddsThemAndDeletesTheIngress() throws Exception {
    Path model = KubeFixtures.fixture("environments.yaml");
    Generated g = new KustomizeGenerator().generate(KubeFixtures.load(model, "staging"),
        KubeFixtures.options(model, "staging", false));

    assertThat(g.files().get("kustomize/overlays/production/added.yaml"))
        .contains("kind: ExternalSecret").contains("kind: HTTPRoute");
    assertThat(g.files().get("kustomize/overlays/production/kustomization.yaml"))
        .contains("$patch: delete").contains("kind: Ingress");
    assertThat(g.files().get("kustomize/base/store.yaml")).contains("kind: Ingress").doesNotContain("HTTPRoute");
  }

  @Test
  void kustomize_whenGeneratedTwice_writesIdenticalBytes() throws Exception {
    Path model = KubeFixtures.fixture("environments.yaml");
    Generated a = new KustomizeGenerator().generate(KubeFixtures.load(model, "production"),
        KubeFixtures.options(model, "production", false));
    Generated b = new KustomizeGenerator().generate(KubeFixtures.load(model, "production"),
        KubeFixtures.options(model, "production", false));

    assertThat(a.files()).isEqualTo(b.files());
  }

  private void assertOverlaysEqualKubernetesTarget(Path model, boolean argo) throws Exception {
    List<String> envs = KubeFixtures.kubernetesEnvironments(model);
    assertThat(envs).isNotEmpty();
    Generated g = new KustomizeGenerator().generate(KubeFixtures.load(model, envs.getFirst()),
        KubeFixtures.options(model, envs.getFirst(), argo));
    write(g, out);
    for (String env : envs) {
      Map<String, Map<String, Object>> built = KustomizeGenerator.byId(kustomize(out.resolve("kustomize/overlays/" + env)));
      Map<String, Map<String, Object>> expected = KustomizeGenerator.byId(KubeFixtures.objects(model, env, argo));
      assertThat(built.keySet()).as("objects of overlays/%s", env).containsExactlyInAnyOrderElementsOf(expected.keySet());
      for (String id : expected.keySet()) {
        assertThat(JsonPatchDiff.diff(built.get(id), expected.get(id))).as("overlays/%s %s: built → expected", env, id)
            .isEmpty();
      }
    }
  }

  static void write(Generated g, Path dir) throws IOException {
    for (Map.Entry<String, String> f : g.files().entrySet()) {
      Path p = dir.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue());
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> kustomize(Path overlay) throws Exception {
    assertThat(Path.of(KUBECTL)).as("kubectl is needed to build the overlays").exists();
    Process p = new ProcessBuilder(KUBECTL, "kustomize", overlay.toString()).redirectErrorStream(false).start();
    byte[] stdout = p.getInputStream().readAllBytes();
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("kubectl kustomize %s: %s", overlay, stderr).isZero();
    List<Map<String, Object>> docs = new ArrayList<>();
    new Yaml().loadAll(new String(stdout, StandardCharsets.UTF_8)).forEach(d -> docs.add((Map<String, Object>) d));
    return docs;
  }
}
