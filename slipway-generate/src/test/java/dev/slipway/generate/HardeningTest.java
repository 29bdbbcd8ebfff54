package dev.slipway.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.generate.Hardening.Finding;
import dev.slipway.model.AppSpec;
import dev.slipway.model.ModelLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

  @Test
  void missingResources_areSuggestedFromWhatWasMeasured_orFromDefaultsSayingSo() {
    Path weak = KubeFixtures.fixture("weak.yaml");
    Map<String, MeasuredUsage> measured = Map.of("api",
        new MeasuredUsage(312L << 20, 120, 1900, Duration.ofMinutes(12), 2));

    List<Finding> findings = Hardening.check(KubeFixtures.load(weak, "production"),
        KubeFixtures.options(weak, "production", false), measured);

    assertThat(fix(findings, "services.api.resources", "resources.requests.memory")).isEqualTo(
        "add `resources: { cpu: 150m, memory: 448Mi }` (measured locally: peak RSS 312Mi, CPU p95 120m over 12 min "
            + "across 2 releases; memory = peak × 1.25 rounded up to 64Mi, cpu = p95 rounded up to 50m)");
    // The worker was not measured: a JVM's defaults, and how to measure.
    assertThat(fix(findings, "services.worker.resources", "resources.requests.memory"))
        .startsWith("add `resources: { cpu: 250m, memory: 512Mi }` (Slipway's defaults for a JVM service, nothing "
            + "measured yet: run it with `slipway up`");
  }

  @Test
  void writtenResources_belowWhatWasMeasured_areFindings_aboveAreNot() {
    AppSpec app = ModelLoader.parse("""
        name: sized
        services:
          api:
            run: java -jar api.jar
            image: ghcr.io/acme/api:1.0.0
            port: 8080
            health: { ready: /ready, live: /live }
            resources: { cpu: 100m, memory: 256Mi }
          web:
            run: java -jar web.jar
            image: ghcr.io/acme/web:1.0.0
            port: 8080
            health: { ready: /ready, live: /live }
            resources: { cpu: 500m, memory: 512Mi }
        environments:
          production: { target: kubernetes }
        """, Path.of("slipway.yaml"), "production");
    GenerateOptions options = new GenerateOptions("production", Map.of("production", app), false, null, null);
    MeasuredUsage spring = new MeasuredUsage(400L << 20, 300, 1800, Duration.ofMinutes(5), 1);

    List<Finding> findings = Hardening.check(app, options, Map.of("api", spring, "web", spring));

    assertThat(findings).extracting(f -> f.path() + " " + f.rule()).containsExactly(
        "services.api.resources.memory resources.memory.belowMeasured",
        "services.api.resources.cpu resources.cpu.belowMeasured");
    Finding memory = findings.get(0);
    assertThat(memory.message()).isEqualTo("Deployment api container api is limited to 256Mi of memory, but one "
        + "instance reached 400Mi locally: it would be killed for running out of memory");
    assertThat(memory.fix()).startsWith("write `memory: 512Mi` (measured locally: peak RSS 400Mi");
    assertThat(findings.get(1).message()).contains("is limited to 200m CPU, but one instance used 300m (p95) locally");
    assertThat(findings.get(1).fix()).startsWith("write `cpu: 300m`");
    assertThat(Hardening.check(app, options, Map.of())).isEmpty();
  }

  private static String fix(List<Finding> findings, String path, String rule) {
    return findings.stream().filter(f -> f.path().equals(path) && f.rule().equals(rule)).findFirst().orElseThrow().fix();
  }
}
