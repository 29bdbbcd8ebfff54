package dev.slipway.generate;

import static dev.slipway.generate.ComposeGeneratorTest.list;
import static dev.slipway.generate.ComposeGeneratorTest.map;
import static dev.slipway.generate.ComposeGeneratorTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.generate.Generated.ReportLine;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgoCdGeneratorTest {
  private final ArgoCdGenerator generator = new ArgoCdGenerator();

  @Test
  void writesOneApplicationPerKubernetesEnvironment_pointingAtItsKustomizeOverlay() throws Exception {
    Generated g = generator.generate(ShopExample.load("production"),
        ShopExample.options(ShopExample.FILE, "production", "https://github.com/acme/shop.git"));

    assertThat(g.files()).containsOnlyKeys("argocd/staging.yaml", "argocd/production.yaml");
    for (String env : new String[] {"staging", "production"}) {
      Map<String, Object> app = yaml(g.files().get("argocd/" + env + ".yaml"));
      assertThat(app).containsEntry("apiVersion", "argoproj.io/v1alpha1").containsEntry("kind", "Application");
      assertThat(map(app.get("metadata"))).containsEntry("name", "shop-" + env).containsEntry("namespace", "argocd");
      Map<String, Object> spec = map(app.get("spec"));
      assertThat(spec).containsEntry("project", "default");
      assertThat(map(spec.get("source"))).containsEntry("repoURL", "https://github.com/acme/shop.git")
          .containsEntry("path", "kustomize/overlays/" + env);
      assertThat(map(spec.get("destination"))).containsEntry("server", "https://kubernetes.default.svc")
          .containsEntry("namespace", env.equals("staging") ? "shop-staging" : "shop");
      assertThat(list(map(spec.get("syncPolicy")).get("syncOptions"))).contains("CreateNamespace=true");
    }
  }

  @Test
  void everyApplicationPath_isAnOverlayTheKustomizeTargetWrites() throws Exception {
    GenerateOptions options = ShopExample.options(ShopExample.FILE, "production", null);
    Generated g = generator.generate(ShopExample.load("production"), options);
    Generated kustomize = new KustomizeGenerator().generate(ShopExample.load("production"), options);

    for (String text : g.files().values()) {
      String path = map(map(yaml(text).get("spec")).get("source")).get("path").toString();
      assertThat(kustomize.files()).containsKey(path + "/kustomization.yaml");
    }
  }

  @Test
  void nonProductionSyncsAutomaticallyWithPruneAndSelfHeal_productionManually() throws Exception {
    Generated g = generator.generate(ShopExample.load("production"), ShopExample.options(ShopExample.FILE, "production", null));

    Map<String, Object> staging = map(map(yaml(g.files().get("argocd/staging.yaml")).get("spec")).get("syncPolicy"));
    assertThat(map(staging.get("automated"))).containsEntry("prune", true).containsEntry("selfHeal", true);
    Map<String, Object> production = map(map(yaml(g.files().get("argocd/production.yaml")).get("spec")).get("syncPolicy"));
    assertThat(production).doesNotContainKey("automated");
    assertThat(g.report()).anySatisfy(l -> assertThat(l.outcome()).contains("manual sync"));
  }

  @Test
  void withoutRepository_usesPlaceholder_andReportSaysToPassRepo() throws Exception {
    Generated g = generator.generate(ShopExample.load("production"), ShopExample.options(ShopExample.FILE, "production", null));

    assertThat(map(map(yaml(g.files().get("argocd/staging.yaml")).get("spec")).get("source")))
        .containsEntry("repoURL", "https://github.com/OWNER/REPO.git");
    assertThat(g.report()).filteredOn(l -> !l.expressed()).extracting(ReportLine::outcome)
        .anySatisfy(o -> assertThat(o).contains("--repo"));
  }

  @Test
  void localEnvironment_getsNoApplication_andIsReported() throws Exception {
    Generated g = generator.generate(ShopExample.load("production"), ShopExample.options(ShopExample.FILE, "production", null));

    assertThat(g.files()).doesNotContainKey("argocd/dev.yaml");
    assertThat(g.report()).anySatisfy(l -> {
      assertThat(l.modelPath()).isEqualTo("environments.dev");
      assertThat(l.expressed()).isFalse();
    });
  }

  @Test
  void generatingTwice_givesIdenticalBytes() throws Exception {
    GenerateOptions options = ShopExample.options(ShopExample.FILE, "production", null);
    assertThat(generator.generate(ShopExample.load("production"), options).files())
        .isEqualTo(generator.generate(ShopExample.load("production"), options).files());
  }
}
