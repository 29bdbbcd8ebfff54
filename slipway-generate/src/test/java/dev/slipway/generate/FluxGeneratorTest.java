package dev.slipway.generate;

import static dev.slipway.generate.ComposeGeneratorTest.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class FluxGeneratorTest {
  private final FluxGenerator generator = new FluxGenerator();

  @Test
  void writesGitRepositoryAndKustomizationPerKubernetesEnvironment_applyingItsOverlay() throws Exception {
    Generated g = generator.generate(ShopExample.load("production"),
        ShopExample.options(ShopExample.FILE, "production", "https://github.com/acme/shop.git"));

    assertThat(g.files()).containsOnlyKeys("flux/staging.yaml", "flux/production.yaml");
    for (String env : new String[] {"staging", "production"}) {
      List<Map<String, Object>> docs = documents(g.files().get("flux/" + env + ".yaml"));
      assertThat(docs).hasSize(2);
      Map<String, Object> repo = docs.get(0);
      assertThat(repo).containsEntry("apiVersion", "source.toolkit.fluxcd.io/v1").containsEntry("kind", "GitRepository");
      assertThat(map(repo.get("metadata"))).containsEntry("name", "shop-" + env).containsEntry("namespace", "flux-system");
      Map<String, Object> repoSpec = map(repo.get("spec"));
      assertThat(repoSpec).containsEntry("url", "https://github.com/acme/shop.git").containsKey("interval");
      assertThat(map(repoSpec.get("ref"))).containsEntry("branch", env.equals("production") ? "main" : "develop");

      Map<String, Object> ks = docs.get(1);
      assertThat(ks).containsEntry("apiVersion", "kustomize.toolkit.fluxcd.io/v1").containsEntry("kind", "Kustomization");
      Map<String, Object> spec = map(ks.get("spec"));
      assertThat(spec).containsEntry("path", "./kustomize/overlays/" + env).containsEntry("prune", true)
          .containsEntry("wait", true).containsKeys("interval", "timeout")
          .containsEntry("targetNamespace", env.equals("staging") ? "shop-staging" : "shop");
      assertThat(map(spec.get("sourceRef"))).containsEntry("kind", "GitRepository").containsEntry("name", "shop-" + env);
    }
  }

  @Test
  void everyKustomizationPath_isAnOverlayTheKustomizeTargetWrites() throws Exception {
    GenerateOptions options = ShopExample.options(ShopExample.FILE, "production", null);
    Generated g = generator.generate(ShopExample.load("production"), options);
    Generated kustomize = new KustomizeGenerator().generate(ShopExample.load("production"), options);

    for (String text : g.files().values()) {
      String path = map(documents(text).get(1).get("spec")).get("path").toString();
      assertThat(path).startsWith("./");
      assertThat(kustomize.files()).containsKey(path.substring(2) + "/kustomization.yaml");
    }
  }

  @Test
  void localEnvironment_getsNoFluxObjects_andIsReported() throws Exception {
    Generated g = generator.generate(ShopExample.load("production"), ShopExample.options(ShopExample.FILE, "production", null));

    assertThat(g.files()).doesNotContainKey("flux/dev.yaml");
    assertThat(g.report()).anySatisfy(l -> assertThat(l.modelPath()).isEqualTo("environments.dev"));
    assertThat(g.report()).anySatisfy(l -> assertThat(l.outcome()).contains("--repo"));
  }

  @Test
  void generatingTwice_givesIdenticalBytes() throws Exception {
    GenerateOptions options = ShopExample.options(ShopExample.FILE, "production", null);
    assertThat(generator.generate(ShopExample.load("production"), options).files())
        .isEqualTo(generator.generate(ShopExample.load("production"), options).files());
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> documents(String text) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Yaml().loadAll(text)) {
      docs.add((Map<String, Object>) doc);
    }
    return docs;
  }
}
