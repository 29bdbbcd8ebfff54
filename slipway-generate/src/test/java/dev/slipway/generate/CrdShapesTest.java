package dev.slipway.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The External Secrets and Gateway API objects, which the OpenAPI check skips, have their CRDs' required fields. */
class CrdShapesTest {
  private static final List<String> KINDS = List.of("ExternalSecret", "HTTPRoute");

  @Test
  void customResources_inEveryKubernetesEnvironment_haveTheirCrdsRequiredFields() {
    List<Map<String, Object>> checked = new ArrayList<>();
    for (Path model : List.of(KubeFixtures.SHOP, KubeFixtures.fixture("environments.yaml"))) {
      for (String env : KubeFixtures.kubernetesEnvironments(model)) {
        for (boolean argo : List.of(false, true)) {
          KubeFixtures.objects(model, env, argo).stream().filter(o -> KINDS.contains(Kube.kind(o)))
              .forEach(checked::add);
        }
      }
    }

    assertThat(checked).extracting(Kube::kind).contains("ExternalSecret", "HTTPRoute");
    assertThat(checked).flatExtracting(CrdShapes::problems).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void problems_whenRequiredFieldsMissingOrEnumMisspelt_namesEach() {
    List<Map<String, Object>> production = KubeFixtures.objects(KubeFixtures.fixture("environments.yaml"),
        "production", false);
    Map<String, Object> es = KubeFixtures.find(production, "ExternalSecret", "store-secrets");
    Kube.child(es, "spec", "secretStoreRef").put("kind", "Vault");
    Kube.child(es, "spec").remove("data");
    Map<String, Object> route = KubeFixtures.find(production, "HTTPRoute", "api");
    ((Map<String, Object>) KubeFixtures.at(route, "spec.rules.0.backendRefs.0")).remove("port");

    assertThat(CrdShapes.problems(es)).hasSize(2)
        .anySatisfy(p -> assertThat(p).contains("spec.secretStoreRef.kind: one of"))
        .anySatisfy(p -> assertThat(p).contains("spec.data: a non-empty list is required"));
    assertThat(CrdShapes.problems(route)).singleElement().asString()
        .contains("spec.rules.0.backendRefs.0.port: a Service backend needs a port");
  }
}
