package dev.slipway.generate;

import static dev.slipway.generate.KubeFixtures.at;
import static dev.slipway.generate.KubeFixtures.find;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.model.ModelLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@SuppressWarnings("unchecked")
class KubernetesGeneratorTest {
  private static final Path ENVS = KubeFixtures.fixture("environments.yaml");

  private static List<Map<String, Object>> shop(boolean argo) {
    return KubeFixtures.objects(KubeFixtures.SHOP, "production", argo);
  }

  @Test
  void generate_whenReplicasAtLeastTwo_addsPodDisruptionBudget() {
    List<Map<String, Object>> objects = shop(false);

    assertThat(at(find(objects, "PodDisruptionBudget", "api"), "spec.maxUnavailable")).isEqualTo(1);
    assertThat(objects).noneMatch(o -> Kube.kind(o).equals("PodDisruptionBudget") && !Kube.name(o).equals("api"));
  }

  @Test
  void generate_whenServiceHasNoPort_probesPort8080AndSetsPortEnv() {
    Map<String, Object> worker = find(shop(false), "Deployment", "worker");

    assertThat(at(worker, "spec.template.spec.containers.0.readinessProbe.httpGet.port")).isEqualTo(8080);
    assertThat(at(worker, "spec.template.spec.containers.0.env.0")).isEqualTo(Map.of("name", "PORT", "value", "8080"));
    assertThat(shop(false)).noneMatch(o -> Kube.kind(o).equals("Service") && Kube.name(o).equals("worker"));
  }

  @Test
  void generate_podsMeetPodSecurityRestricted() {
    Map<String, Object> pod = Kube.child(find(shop(false), "Deployment", "api"), "spec", "template", "spec");

    assertThat(at(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
    assertThat(at(pod, "automountServiceAccountToken")).isEqualTo(false);
    assertThat(at(pod, "containers.0.securityContext.readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(at(pod, "containers.0.securityContext.allowPrivilegeEscalation")).isEqualTo(false);
    assertThat(at(pod, "containers.0.securityContext.capabilities.drop")).isEqualTo(List.of("ALL"));
    assertThat(at(pod, "containers.0.volumeMounts.0.mountPath")).isEqualTo("/tmp");
    assertThat(at(pod, "topologySpreadConstraints")).asList().hasSize(2);
  }

  @Test
  void generate_startupProbeAllowsTheModelsStartupTimeout() {
    Map<String, Object> probe = Kube.child(find(shop(false), "Deployment", "api"), "spec", "template", "spec");
    Map<String, Object> startup = (Map<String, Object>) at(probe, "containers.0.startupProbe");

    assertThat((int) startup.get("periodSeconds") * (int) startup.get("failureThreshold")).isGreaterThanOrEqualTo(60);
  }

  @Test
  void generate_resolvesReferencesToInClusterHostsAndSecretsToSecretKeyRefs() {
    List<Map<String, Object>> objects = shop(false);

    assertThat(at(find(objects, "ConfigMap", "api-env"), "data.DATABASE_URL")).isEqualTo("jdbc:postgresql://db:5432/shop");
    assertThat(at(find(objects, "ConfigMap", "web-env"), "data.API_URL")).isEqualTo("http://api:8080");
    assertThat(YamlText.dumpAll(objects)).contains("key: db-password").doesNotContain("kind: Secret");
  }

  @Test
  void generate_whenValueMixesTextAndSecret_composesItFromHelperVariablesAndEscapesDollarParens() {
    Map<String, Object> api = find(KubeFixtures.objects(ENVS, "staging", false), "Deployment", "api");
    List<Object> env = (List<Object>) at(api, "spec.template.spec.containers.0.env");

    assertThat(env).contains(Map.of("name", "STRIPE_KEY", "valueFrom",
        Map.of("secretKeyRef", Map.of("name", "store-secrets", "key", "stripe"))));
    assertThat(env).contains(Map.of("name", "PAYMENT_URL",
        "value", "https://pay.example.com/$$(not-a-var)?key=$(SLIPWAY_SECRET_STRIPE)"));
    assertThat(env).contains(Map.of("name", "DATABASE_PASSWORD", "valueFrom",
        Map.of("secretKeyRef", Map.of("name", "store-secrets", "key", "db-password"))));
  }

  @Test
  void generate_networkPoliciesAllowExactlyTheDependencyGraph() {
    List<Map<String, Object>> objects = shop(false);

    List<Object> from = (List<Object>) at(find(objects, "NetworkPolicy", "db"), "spec.ingress.0.from");
    assertThat(from).extracting(p -> (Object) ((Map<?, ?>) at(p, "podSelector.matchLabels")).get(Kube.NAME))
        .containsExactly("api", "worker");
    assertThat(at(find(objects, "NetworkPolicy", "worker"), "spec.ingress")).asList().isEmpty();
    assertThat(at(find(objects, "NetworkPolicy", "api"), "spec.ingress.1.from.0.namespaceSelector.matchLabels"))
        .isEqualTo(Map.of("kubernetes.io/metadata.name", "ingress-nginx"));
    assertThat(at(find(objects, "NetworkPolicy", "web"), "spec.egress.0.ports.0.port")).isEqualTo(8080);
  }

  @Test
  void generate_whenAutoscalingSet_addsHorizontalPodAutoscalerAndBudget() {
    List<Map<String, Object>> objects = KubeFixtures.objects(ENVS, "production", false);
    Map<String, Object> hpa = find(objects, "HorizontalPodAutoscaler", "web");

    assertThat(at(hpa, "spec.minReplicas")).isEqualTo(2);
    assertThat(at(hpa, "spec.maxReplicas")).isEqualTo(6);
    assertThat(at(hpa, "spec.metrics.0.resource.target.averageUtilization")).isEqualTo(60);
    assertThat(find(objects, "PodDisruptionBudget", "web")).isNotNull();
  }

  @Test
  void generate_whenResourceExternal_runsNoStatefulSet() {
    assertThat(KubeFixtures.objects(ENVS, "staging", false)).noneMatch(o -> Kube.kind(o).equals("StatefulSet"));
    assertThat(at(find(KubeFixtures.objects(ENVS, "production", false), "StatefulSet", "db"),
        "spec.volumeClaimTemplates.0.spec.resources.requests.storage")).isEqualTo("1Gi");
  }

  @Test
  void generate_withArgoRollouts_emitsCanaryStepsAndBlueGreenServices() {
    List<Map<String, Object>> objects = shop(true);
    Map<String, Object> api = find(objects, "Rollout", "api");

    assertThat(at(api, "spec.strategy.canary.steps")).asList().hasSize(5);
    assertThat(at(api, "spec.strategy.canary.steps.0")).isEqualTo(Map.of("setWeight", 10));
    assertThat(at(api, "spec.strategy.canary.steps.1")).isEqualTo(Map.of("pause", Map.of("duration", "30s")));
    assertThat(at(api, "spec.strategy.canary.steps.2.analysis.templates.0.templateName")).isEqualTo("api-analysis-2");
    assertThat(at(find(objects, "AnalysisTemplate", "api-analysis-2"), "spec.metrics")).asList().hasSize(3);
    Map<String, Object> web = find(objects, "Rollout", "web");
    assertThat(at(web, "spec.strategy.blueGreen.previewService")).isEqualTo("web-preview");
    assertThat(at(web, "spec.strategy.blueGreen.scaleDownDelaySeconds")).isEqualTo(300);
    assertThat(find(objects, "Service", "web-preview")).isNotNull();
  }

  @Test
  void generate_withoutArgoRollouts_reportsWhatCanaryNeeds() throws Exception {
    Generated g = new KubernetesGenerator().generate(KubeFixtures.load(KubeFixtures.SHOP, "production"),
        KubeFixtures.options(KubeFixtures.SHOP, "production", false));

    assertThat(g.report()).anySatisfy(l -> {
      assertThat(l.modelPath()).isEqualTo("services.api.strategy.canary");
      assertThat(l.expressed()).isFalse();
      assertThat(l.outcome()).contains("needs Argo Rollouts in the cluster (--argo-rollouts)");
    });
    assertThat(g.files()).containsOnlyKeys("kubernetes/production/shop.yaml");
  }

  @Test
  void generate_whenRunTwice_writesIdenticalBytesWithoutYamlAliases() throws Exception {
    Generated a = new KubernetesGenerator().generate(KubeFixtures.load(KubeFixtures.SHOP, "production"),
        KubeFixtures.options(KubeFixtures.SHOP, "production", true));
    Generated b = new KubernetesGenerator().generate(KubeFixtures.load(KubeFixtures.SHOP, "production"),
        KubeFixtures.options(KubeFixtures.SHOP, "production", true));

    assertThat(a.files()).isEqualTo(b.files());
    assertThat(a.files().values().iterator().next()).doesNotContain("&id").doesNotContain("*id");
  }

  @Test
  void generate_whenServiceHasNoImage_saysWhichAndHowToFixIt() {
    var app = ModelLoader.parse("name: x\nservices:\n  api: { run: x }\n", Path.of("slipway.yaml"), null);

    assertThatThrownBy(() -> new KubernetesGenerator().generate(app,
        new GenerateOptions(null, Map.of(), false, null, null)))
        .isInstanceOfSatisfying(GenerateException.class, e -> assertThat(e.modelPath()).isEqualTo("services.api.image"));
  }
}
