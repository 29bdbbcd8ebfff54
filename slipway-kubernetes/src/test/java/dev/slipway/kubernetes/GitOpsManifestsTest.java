package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.generate.YamlText;
import dev.slipway.kubernetes.GitOpsManifests.Release;
import dev.slipway.model.AppSpec;
import dev.slipway.model.ModelLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** What a GitOps environment commits is what the direct runner applies, and a canary's weight as its TrafficSplit leaves it. */
class GitOpsManifestsTest {
  static final Release R1 = new Release("r1", "registry.example:5000/acme/shop-api:1.0.0");
  static final Release R2 = new Release("r2", "registry.example:5000/acme/shop-api:2.0.0");

  static GitOpsManifests manifests(String environment) {
    AppSpec app = ModelLoader.load(ObjectsFixture.traffic(), environment);
    var env = app.selectedEnvironment().orElseThrow();
    return new GitOpsManifests(app, env, env.namespace());
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> docs(String yaml) {
    List<Map<String, Object>> out = new ArrayList<>();
    new Yaml().loadAll(yaml).forEach(d -> out.add((Map<String, Object>) d));
    return out;
  }

  static Map<String, Object> find(List<Map<String, Object>> docs, String kind, String name) {
    return docs.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(Trees.name(d))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  @Test
  void theCommittedFiles_areExactlyTheObjectsTheDirectRunnerApplies() {
    for (String environment : List.of("nginx", "gateway")) {
      ClusterObjects objects = ObjectsFixture.objects(ObjectsFixture.traffic(), environment);
      List<HasMetadata> applied = ObjectsFixture.install(objects, "r1");
      Map<String, String> images = new LinkedHashMap<>();
      Map<String, String> ids = new LinkedHashMap<>();
      objects.app().services().values().forEach(s -> {
        images.put(s.name(), s.image());
        ids.put(s.name(), "r1");
      });
      Map<String, String> files = manifests(environment).install(images, ids);
      List<Map<String, Object>> committed = new ArrayList<>();
      files.values().forEach(text -> committed.addAll(docs(text)));
      assertThat(committed).as(environment).containsExactlyInAnyOrderElementsOf(
          // Through the same YAML writer and reader, so that numbers compare as numbers.
          applied.stream().map(o -> docs(YamlText.dumpAll(List.of(ObjectsFixture.tree(o)))).getFirst()).toList());
      // A service's file alone is the same as in the whole install.
      assertThat(manifests(environment).service("api", R1, null, 0)).isEqualTo(files.get("api.yaml"));
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void aCanaryStep_withAGateway_weightsTheHttpRoutesBackends() {
    GitOpsManifests m = manifests("gateway");
    String text = m.service("api", R1, R2, 10);
    Map<String, Object> route = find(docs(text), "HTTPRoute", "api");
    for (Object rule : (List<?>) Trees.child(route, "spec").get("rules")) {
      assertThat(((Map<String, Object>) rule).get("backendRefs")).isEqualTo(List.of(
          Map.of("name", "api-r1", "port", 8080, "weight", 90), Map.of("name", "api-r2", "port", 8080, "weight", 10)));
    }
    assertThat(GitOpsManifests.traffic(text, "api").describe()).isEqualTo("r1 90% · r2 10%");
    assertThat(GitOpsManifests.releases(text, "api")).containsExactly(R1, R2);
    find(docs(text), "Service", "api-r2");
    assertThat(GitOpsManifests.traffic(m.service("api", R2, null, 0), "api")).isNull();
  }

  @Test
  void aCanaryStep_withIngressNginx_pointsTheCanaryIngressAtTheCandidate_withItsWeight() {
    String text = manifests("nginx").service("api", R1, R2, 25);
    List<Map<String, Object>> docs = docs(text);
    Map<String, Object> canary = find(docs, "Ingress", "api-canary");
    assertThat(Trees.child(canary, "metadata", "annotations")).containsEntry(ClusterObjects.NGINX_CANARY, "true")
        .containsEntry(ClusterObjects.NGINX_CANARY_WEIGHT, "25");
    assertThat(text).contains("name: api-r2");
    assertThat(GitOpsManifests.traffic(text, "api")).isEqualTo(new TrafficSplit.Applied(NginxTrafficSplit.ID,
        Map.of("r1", 75, "r2", 25), Map.of(), false));
  }

  @Test
  void aCanaryStep_withoutIngress_splitsByReplicas_andSaysCoarse() {
    Release s1 = new Release("r1", "ghcr.io/acme/search:2.0");
    Release s2 = new Release("r2", "ghcr.io/acme/search:2.1");
    String text = manifests("nginx").service("search", s1, s2, 25);
    List<Map<String, Object>> docs = docs(text);
    int[] expected = ReplicaTrafficSplit.replicas(2, 25);
    assertThat(GitOpsManifests.replicas(find(docs, "Deployment", "search-r1"))).isEqualTo(expected[0]);
    assertThat(GitOpsManifests.replicas(find(docs, "Deployment", "search-r2"))).isEqualTo(expected[1]);
    TrafficSplit.Applied a = GitOpsManifests.traffic(text, "search");
    assertThat(a.coarse()).isTrue();
    assertThat(a.describe()).isEqualTo("r1 67% · r2 33% (replica ratio, coarse)");
  }

  @Test
  void aBlueGreenPreview_keepsTheServiceOnTheStableRelease() {
    Release w1 = new Release("r1", "ghcr.io/acme/shop-web:1.0.0");
    Release w2 = new Release("r2", "ghcr.io/acme/shop-web:2.0.0");
    List<Map<String, Object>> docs = docs(manifests("nginx").service("web", w1, w2, 0));
    find(docs, "Deployment", "web-r1");
    find(docs, "Deployment", "web-r2");
    find(docs, "Service", "web-r2");
    assertThat(Trees.child(find(docs, "Service", "web"), "spec", "selector")).containsEntry(ClusterObjects.RELEASE, "r1");
  }
}
