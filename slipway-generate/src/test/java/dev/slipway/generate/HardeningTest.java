package dev.slipway.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.generate.Hardening.Finding;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HardeningTest {

  @Test
  void check_whenShopExampleInEveryKubernetesEnvironment_findsNothing() {
    for (String env : KubeFixtures.kubernetesEnvironments(KubeFixtures.SHOP)) {
      for (boolean argo : List.of(false, true)) {
        assertThat(Hardening.check(KubeFixtures.load(KubeFixtures.SHOP, env),
            KubeFixtures.options(KubeFixtures.SHOP, env, argo))).as("%s, argo rollouts %s", env, argo).isEmpty();
      }
    }
  }

  @Test
  void check_whenModelWeak_reportsEachMissingItemWithItsModelPath() {
    Path weak = KubeFixtures.fixture("weak.yaml");
    List<Finding> findings = Hardening.check(KubeFixtures.load(weak, "production"),
        KubeFixtures.options(weak, "production", false));

    assertThat(findings).extracting(f -> f.path() + " " + f.rule()).containsExactlyInAnyOrder(
        "services.api.health.ready probes.readiness",
        "services.api.health.live probes.liveness",
        "services.api.resources resources.requests.cpu",
        "services.api.resources resources.requests.memory",
        "services.api.resources resources.limits.cpu",
        "services.api.resources resources.limits.memory",
        "services.api.image image.untagged",
        "services.worker.health.live probes.liveness",
        "services.worker.resources resources.requests.memory",
        "services.worker.resources resources.limits.memory",
        "services.worker.image image.latest");
    assertThat(findings).allSatisfy(f -> assertThat(f.fix()).isNotBlank());
  }

  @Test
  void check_whenImageTagPassedByCi_acceptsTheUntaggedModelImage() {
    Path weak = KubeFixtures.fixture("weak.yaml");
    GenerateOptions o = KubeFixtures.options(weak, "production", false);
    GenerateOptions tagged = new GenerateOptions(o.environment(), o.environments(), false, null, "3f2a1bc");

    assertThat(Hardening.check(KubeFixtures.load(weak, "production"), tagged)).extracting(Finding::rule)
        .doesNotContain("image.untagged");
  }
}
