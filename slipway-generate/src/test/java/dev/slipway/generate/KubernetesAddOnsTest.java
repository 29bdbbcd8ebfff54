package dev.slipway.generate;

import static dev.slipway.generate.KubeFixtures.at;
import static dev.slipway.generate.KubeFixtures.find;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.generate.Generated.ReportLine;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An environment's cluster add-ons in the kubernetes target: {@code secretStore} → an ExternalSecret,
 * {@code gateway} → HTTPRoutes instead of Ingresses. The fixture's production has both, staging neither.
 */
class KubernetesAddOnsTest {
  private static final Path ENVS = KubeFixtures.fixture("environments.yaml");

  @Test
  void generate_whenGatewaySet_emitsHttpRouteToTheServiceInsteadOfIngress() {
    List<Map<String, Object>> objects = KubeFixtures.objects(ENVS, "production", false);
    Map<String, Object> route = find(objects, "HTTPRoute", "api");

    assertThat(route.get("apiVersion")).isEqualTo("gateway.networking.k8s.io/v1");
    assertThat(at(route, "metadata.namespace")).isEqualTo("store");
    assertThat(at(route, "spec.parentRefs")).isEqualTo(List.of(Map.of("name", "public", "namespace", "gateways")));
    assertThat(at(route, "spec.hostnames")).isEqualTo(List.of("store.example.com"));
    assertThat(at(route, "spec.rules")).isEqualTo(List.of(Map.of(
        "matches", List.of(Map.of("path", Map.of("type", "PathPrefix", "value", "/"))),
        "backendRefs", List.of(Map.of("name", "api", "port", 8080)))));
    assertThat(objects).noneMatch(o -> Kube.kind(o).equals("Ingress"));
  }

  @Test
  void generate_whenGatewaySet_networkPolicyAdmitsTheGatewaysNamespaceInsteadOfIngressNginx() {
    Object production = at(find(KubeFixtures.objects(ENVS, "production", false), "NetworkPolicy", "api"),
        "spec.ingress.1.from.0.namespaceSelector.matchLabels");
    Object staging = at(find(KubeFixtures.objects(ENVS, "staging", false), "NetworkPolicy", "api"),
        "spec.ingress.1.from.0.namespaceSelector.matchLabels");

    assertThat(production).isEqualTo(Map.of("kubernetes.io/metadata.name", "gateways"));
    assertThat(staging).isEqualTo(Map.of("kubernetes.io/metadata.name", "ingress-nginx"));
  }

  @Test
  void generate_withoutGateway_keepsTheIngress() {
    List<Map<String, Object>> staging = KubeFixtures.objects(ENVS, "staging", false);

    assertThat(at(find(staging, "Ingress", "api"), "spec.rules.0.host")).isEqualTo("store.example.com");
    assertThat(staging).noneMatch(o -> Kube.kind(o).equals("HTTPRoute"));
  }

  @Test
  void generate_whenSecretStoreSet_emitsExternalSecretForEveryReferencedKeyAndNoValue() {
    List<Map<String, Object>> objects = KubeFixtures.objects(ENVS, "production", true);
    Map<String, Object> es = find(objects, "ExternalSecret", "store-secrets");

    assertThat(es.get("apiVersion")).isEqualTo("external-secrets.io/v1beta1");
    assertThat(Kube.kind(objects.get(1))).as("right after the Namespace").isEqualTo("ExternalSecret");
    assertThat(at(es, "spec.refreshInterval")).isEqualTo("1h");
    assertThat(at(es, "spec.secretStoreRef")).isEqualTo(Map.of("name", "vault", "kind", "ClusterSecretStore"));
    assertThat(at(es, "spec.target")).isEqualTo(Map.of("name", "store-secrets", "creationPolicy", "Owner"));
    assertThat(at(es, "spec.data")).isEqualTo(List.of(
        Map.of("secretKey", "db-password", "remoteRef", Map.of("key", "store/production/db-password")),
        Map.of("secretKey", "stripe", "remoteRef", Map.of("key", "store/production/stripe"))));
    List<Map<String, Object>> others = objects.stream().filter(o -> o != es).toList();
    assertThat(SecretObjects.referencedKeys(others)).containsExactly("db-password", "stripe");
    assertThat(YamlText.dumpAll(objects)).doesNotContain("kind: Secret\n");
  }

  @Test
  void generate_withoutSecretStore_emitsNoExternalSecret() {
    assertThat(KubeFixtures.objects(ENVS, "staging", false)).noneMatch(o -> Kube.kind(o).equals("ExternalSecret"));
    assertThat(KubeFixtures.objects(KubeFixtures.SHOP, "production", false))
        .noneMatch(o -> Kube.kind(o).equals("ExternalSecret"));
  }

  @Test
  void report_saysWhatSecretStoreAndGatewayBecame() throws Exception {
    Generated g = new KubernetesGenerator().generate(KubeFixtures.load(ENVS, "production"),
        KubeFixtures.options(ENVS, "production", false));

    assertThat(g.report()).anySatisfy(l -> {
      assertThat(l.modelPath()).isEqualTo("environments.production.secretStore");
      assertThat(l.expressed()).isTrue();
      assertThat(l.outcome()).startsWith("ExternalSecret store-secrets (external-secrets.io/v1beta1, ClusterSecretStore"
          + " vault, refreshInterval 1h) creates Secret store-secrets with keys db-password, stripe")
          .contains("remote key store/production/KEY", "External Secrets Operator");
    });
    assertThat(g.report()).anySatisfy(l -> {
      assertThat(l.modelPath()).isEqualTo("services.api.ingress");
      assertThat(l.outcome()).startsWith("HTTPRoute api store.example.com/ (gateway.networking.k8s.io/v1")
          .contains("Gateway gateways/public", "NetworkPolicy admits namespace gateways", "Gateway API implementation");
    });
    assertThat(g.report()).contains(new ReportLine("secrets.stripe", "key `stripe` of Secret store-secrets, filled by"
        + " ExternalSecret store-secrets from remote key store/production/stripe (its value is never written)", true));
    assertThat(g.report()).contains(new ReportLine("secrets.stagingDbUrl", "not in Secret store-secrets:"
        + " no workload of this environment references it", true));
    assertThat(g.report()).noneMatch(l -> l.modelPath().equals("secrets") && !l.expressed());
  }

  @Test
  void report_withoutSecretStore_saysToCreateTheSecretOrConfigureSecretStore() throws Exception {
    Generated g = new KubernetesGenerator().generate(KubeFixtures.load(ENVS, "staging"),
        KubeFixtures.options(ENVS, "staging", false));

    assertThat(g.report()).anySatisfy(l -> {
      assertThat(l.modelPath()).isEqualTo("secrets");
      assertThat(l.expressed()).isFalse();
      assertThat(l.outcome()).contains("create the Secret yourself with keys db-password, stripe")
          .contains("or configure `secretStore` on the environment");
    });
    assertThat(g.report()).anySatisfy(l -> assertThat(l.outcome()).startsWith("Ingress api store.example.com/"));
  }

  @Test
  void lint_whenEnvironmentHasSecretStoreAndGateway_findsNothingNew() {
    for (String env : KubeFixtures.kubernetesEnvironments(ENVS)) {
      for (boolean argo : List.of(false, true)) {
        assertThat(Hardening.check(KubeFixtures.load(ENVS, env), KubeFixtures.options(ENVS, env, argo)))
            .as("%s, argo rollouts %s", env, argo).isEmpty();
      }
    }
  }
}
