package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.model.ModelLoader;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterObjectsTest {

  @Test
  void install_isTheGeneratorsObjects_withOnlyTheReleaseAdditions_throughFabric8sTypedModel() {
    ClusterObjects objects = ObjectsFixture.objects(ObjectsFixture.shop(), "staging");
    Map<String, Map<String, Object>> generated = new LinkedHashMap<>();
    objects.generatedObjects().forEach(o -> generated.put(o.get("kind") + "/" + Trees.name(o), o));

    List<HasMetadata> installed = ObjectsFixture.install(objects, "r1");
    Set<String> covered = new java.util.HashSet<>();
    for (HasMetadata o : installed) {
      if (o.getMetadata().getName().endsWith(ClusterObjects.CANARY_INGRESS_SUFFIX)) {
        continue; // not generated: a strategy addition, checked below
      }
      // map → typed fabric8 object → map: a field the typed model did not know would be missing here.
      Map<String, Object> tree = withoutReleaseAdditions(numbersAsGenerated(ObjectsFixture.tree(o)));
      String key = tree.get("kind") + "/" + Trees.name(tree);
      assertThat(generated).as(key).containsKey(key);
      assertThat(tree).as(key).isEqualTo(withoutEmptyLists(generated.get(key)));
      covered.add(key);
    }
    assertThat(covered).containsExactlyInAnyOrderElementsOf(generated.keySet());
    // Core kinds are typed; nothing is left generic in this model (no CRDs without a gateway/secretStore).
    assertThat(installed).noneMatch(o -> o instanceof GenericKubernetesResource);
    assertThat(installed.getFirst()).isInstanceOf(Namespace.class);
    assertThat(installed.getFirst().getMetadata().getName()).isEqualTo("shop-staging");
  }

  @Test
  void everyObject_isManagedBySlipway_andReleaseObjectsCarryTheReleaseAndConfigDigest() {
    ClusterObjects objects = ObjectsFixture.objects(ObjectsFixture.shop(), "staging");
    List<HasMetadata> installed = ObjectsFixture.install(objects, "r1");
    assertThat(installed).allSatisfy(o -> assertThat(o.getMetadata().getLabels())
        .containsEntry(ClusterObjects.MANAGED_BY, "slipway"));
    List<String> releaseObjects = installed.stream()
        .filter(o -> o.getMetadata().getLabels().containsKey(ClusterObjects.RELEASE))
        .map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    assertThat(releaseObjects).containsExactlyInAnyOrder("Deployment/api-r1", "Service/api-r1",
        "Deployment/web-r1", "Service/web-r1", "Deployment/worker");
    for (HasMetadata o : installed) {
      if (o.getMetadata().getLabels().containsKey(ClusterObjects.RELEASE)) {
        String service = o.getMetadata().getLabels().get(ClusterObjects.NAME);
        assertThat(o.getMetadata().getAnnotations())
            .containsEntry(ClusterObjects.CONFIG_DIGEST, objects.configDigest(service));
      }
    }
  }

  @Test
  void rolling_keepsTheGeneratedNameAndSelector_andLabelsThePodTemplate() {
    ClusterObjects objects = ObjectsFixture.objects(ObjectsFixture.shop(), "staging");
    Deployment d = objects.workload("worker", "r4", "ghcr.io/acme/shop-worker:2.0.0");
    assertThat(d.getMetadata().getName()).isEqualTo("worker");
    assertThat(d.getSpec().getSelector().getMatchLabels()).doesNotContainKey(ClusterObjects.RELEASE);
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsEntry(ClusterObjects.RELEASE, "r4");
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
        .isEqualTo("ghcr.io/acme/shop-worker:2.0.0");
    // The hardening is the generator's.
    var container = d.getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
  }

  @Test
  void blueGreen_hasADeploymentAndServicePerRelease_andTheServiceSelectsTheActiveRelease() {
    ClusterObjects objects = ObjectsFixture.objects(ObjectsFixture.shop(), "staging");
    Deployment d = objects.workload("web", "r2", "ghcr.io/acme/shop-web:2.0.0");
    assertThat(d.getMetadata().getName()).isEqualTo("web-r2");
    assertThat(d.getSpec().getSelector().getMatchLabels()).containsEntry(ClusterObjects.RELEASE, "r2")
        .containsEntry(ClusterObjects.NAME, "web");
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsEntry(ClusterObjects.RELEASE, "r2");
    assertThat(objects.releaseService("web", "r2").getSpec().getSelector())
        .containsEntry(ClusterObjects.RELEASE, "r2");
    assertThat(objects.releaseService("web", "r2").getMetadata().getName()).isEqualTo("web-r2");
    assertThat(objects.service("web", "r1").getSpec().getSelector()).containsEntry(ClusterObjects.RELEASE, "r1");
  }

  @Test
  void canaryWithIngressNginx_pointsTheIngressAtStable_andAddsACanaryIngressAtWeightZero() {
    ClusterObjects objects = ObjectsFixture.objects(ObjectsFixture.shop(), "staging");
    List<HasMetadata> installed = ObjectsFixture.install(objects, "r1");
    Ingress main = find(installed, Ingress.class, "api");
    Ingress canary = find(installed, Ingress.class, "api-canary");
    assertThat(backend(main)).isEqualTo("api-r1");
    assertThat(canary.getMetadata().getAnnotations()).containsEntry(ClusterObjects.NGINX_CANARY, "true")
        .containsEntry(ClusterObjects.NGINX_CANARY_WEIGHT, "0");
    assertThat(canary.getSpec().getRules().getFirst().getHost()).isEqualTo("shop.example.com");
    // In-cluster callers reach every release's pods through the generated Service.
    var api = find(installed, io.fabric8.kubernetes.api.model.Service.class, "api");
    assertThat(api.getSpec().getSelector()).doesNotContainKey(ClusterObjects.RELEASE);
  }

  @Test
  @SuppressWarnings("unchecked")
  void canaryWithAGateway_weightsTheHttpRoutesBackendRefs_asAGenericResource() {
    ClusterObjects objects = ObjectsFixture.objects(ObjectsFixture.traffic(), "gateway");
    List<HasMetadata> installed = ObjectsFixture.install(objects, "r1");
    GenericKubernetesResource route = find(installed, GenericKubernetesResource.class, "api");
    assertThat(route.getKind()).isEqualTo("HTTPRoute");
    Map<String, Object> spec = (Map<String, Object>) route.getAdditionalProperties().get("spec");
    Map<String, Object> rule = (Map<String, Object>) ((List<?>) spec.get("rules")).getFirst();
    assertThat(rule.get("backendRefs")).isEqualTo(List.of(Map.of("name", "api-r1", "port", 8080, "weight", 100)));
    assertThat(installed).noneMatch(o -> o instanceof Ingress);
    // provider: external — the database is the operator's, nothing of it is applied.
    assertThat(installed).noneMatch(o -> o.getMetadata().getName().equals("db"));
  }

  @Test
  void configDigest_changesWithPlainConfig_butNeverWithASecretsValue() {
    ClusterObjects base = ObjectsFixture.objects(ObjectsFixture.traffic(), "nginx");
    ClusterObjects tuned = ObjectsFixture.objects(ObjectsFixture.traffic(), "tuned");
    ClusterObjects rotated = ObjectsFixture.objects(ObjectsFixture.traffic(), "rotated");
    assertThat(base.configDigest("worker")).matches("[0-9a-f]{64}");
    assertThat(tuned.configDigest("worker")).isNotEqualTo(base.configDigest("worker"));
    assertThat(rotated.configDigest("worker")).isEqualTo(base.configDigest("worker"));
    assertThat(base.configDigest("api")).isNotEqualTo(base.configDigest("worker"));
    String all = ObjectsFixture.install(rotated, "r1").stream().map(ClusterObjects.SERIALIZATION::asJson)
        .collect(Collectors.joining());
    assertThat(all).doesNotContain("hunter2").doesNotContain("rotated-secret");
  }

  @Test
  void aModelOf200Services_buildsItsFirstDeployQuickly(@TempDir Path dir) throws Exception {
    StringBuilder yaml = new StringBuilder("name: big\nservices:\n");
    for (int i = 0; i < 200; i++) {
      yaml.append("  s").append(i).append(":\n    run: \"true\"\n    image: ghcr.io/acme/s").append(i).append(":1\n    port: 8080\n")
          .append("    env: { N: \"").append(i).append("\" }\n")
          .append(i % 3 == 0 ? "    strategy: { canary: { steps: [ { setWeight: 10 } ] } }\n" : "")
          .append(i % 3 == 1 ? "    strategy: { blueGreen: {} }\n" : "");
    }
    yaml.append("environments:\n  prod: { target: kubernetes, namespace: big }\n");
    Path model = dir.resolve("slipway.yaml");
    Files.writeString(model, yaml);
    var app = ModelLoader.load(model, "prod");
    long start = System.nanoTime();
    ClusterObjects objects = new ClusterObjects(app, app.selectedEnvironment().orElseThrow(), "big");
    List<HasMetadata> all = ObjectsFixture.install(objects, "r1");
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(all.stream().filter(o -> o instanceof Deployment)).hasSize(200);
    assertThat(millis).as("building 200 services' objects took %d ms", millis).isLessThan(3000);
  }

  /** The installed object as the generator wrote it: release labels, digests, names and selectors removed. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> withoutReleaseAdditions(Map<String, Object> tree) {
    Map<String, Object> metadata = Trees.child(tree, "metadata");
    strip(metadata);
    String name = (String) metadata.get("name");
    metadata.put("name", name.replaceAll("-r[0-9]+$", ""));
    Map<String, Object> spec = Trees.child(tree, "spec");
    if (spec != null) {
      Map<String, Object> selector = Trees.child(spec, "selector");
      if (selector != null) {
        selector.remove(ClusterObjects.RELEASE);
        Map<String, Object> match = Trees.child(selector, "matchLabels");
        if (match != null) {
          match.remove(ClusterObjects.RELEASE);
        }
      }
      Map<String, Object> template = Trees.child(spec, "template", "metadata");
      if (template != null) {
        strip(template);
        // The generator leaves images untagged-or-as-written; the install passed the model's image.
      }
      if ("Ingress".equals(tree.get("kind"))) {
        NginxTrafficSplit.pointAt(tree, (String) metadata.get("name"));
      }
    }
    return tree;
  }

  /**
   * Jackson reads small whole numbers back as Long where the generator wrote Integer; and fabric8 writes
   * the {@code apiVersion}/{@code kind} a StatefulSet's volumeClaimTemplates may carry (the API server
   * accepts and ignores them). Neither is a difference in what is applied.
   */
  @SuppressWarnings("unchecked")
  private static <T> T numbersAsGenerated(T tree) {
    return (T) switch (tree) {
      case Map<?, ?> m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put((String) k, numbersAsGenerated(v)));
        if ("PersistentVolumeClaim".equals(out.get("kind")) && out.containsKey("spec")) {
          out.remove("apiVersion");
          out.remove("kind");
        }
        yield out;
      }
      case List<?> l -> new ArrayList<>(l.stream().map(ClusterObjectsTest::numbersAsGenerated).toList());
      case Long n when n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE -> Integer.valueOf(n.intValue());
      case null -> null;
      default -> tree;
    };
  }

  /**
   * fabric8 leaves out empty lists ({@code egress: []} of a deny-all NetworkPolicy); the API server reads
   * a missing list and an empty one alike (no egress allowed either way).
   */
  @SuppressWarnings("unchecked")
  private static <T> T withoutEmptyLists(T tree) {
    return (T) switch (tree) {
      case Map<?, ?> m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
          if (!(v instanceof List<?> l && l.isEmpty())) {
            out.put((String) k, withoutEmptyLists(v));
          }
        });
        yield out;
      }
      case List<?> l -> new ArrayList<>(l.stream().map(ClusterObjectsTest::withoutEmptyLists).toList());
      case null -> null;
      default -> tree;
    };
  }

  private static void strip(Map<String, Object> metadata) {
    Map<String, Object> labels = Trees.child(metadata, "labels");
    if (labels != null) {
      labels.remove(ClusterObjects.RELEASE);
    }
    Map<String, Object> annotations = Trees.child(metadata, "annotations");
    if (annotations != null) {
      annotations.remove(ClusterObjects.CONFIG_DIGEST);
      if (annotations.isEmpty()) {
        metadata.remove("annotations");
      }
    }
  }

  private static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> type, String name) {
    List<T> found = new ArrayList<>();
    objects.stream().filter(type::isInstance).map(type::cast).filter(o -> o.getMetadata().getName().equals(name))
        .forEach(found::add);
    assertThat(found).as(type.getSimpleName() + " " + name).hasSize(1);
    return found.getFirst();
  }

  private static String backend(Ingress in) {
    return in.getSpec().getRules().getFirst().getHttp().getPaths().getFirst().getBackend().getService().getName();
  }
}
