package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.generate.GenerateOptions;
import dev.slipway.generate.KubernetesGenerator;
import dev.slipway.model.AppSpec;
import dev.slipway.model.ModelLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Over plain HTTP: the mock's TLS costs more CPU than Slipway's own work in the 200-service measurement. */
@EnableKubernetesMockClient(crud = true, https = false)
class ApplierTest {
  static final String NS = "shop-staging";
  static final ConnectOptions OPTIONS = new ConnectOptions(null, null, "test@host", Duration.ofSeconds(15));

  KubernetesMockServer server;
  KubernetesClient client;

  private ClusterConnection cluster() {
    return ClusterConnection.of(client, "mock", NS, OPTIONS);
  }

  @Test
  void aServerWithoutServerSideApply_getsCreates_thenUpdatesCarryingTheReadResourceVersion() throws Exception {
    Applier applier = new Applier(cluster());
    applier.apply(List.of(namespace(), configMap("api", "v1")));
    assertThat(applier.mode()).isEqualTo(Applier.CREATE_UPDATE);
    ConfigMap first = client.configMaps().inNamespace(NS).withName("api").get();
    assertThat(first.getData()).containsEntry("VERSION", "v1");

    List<HasMetadata> out = new Applier(cluster()).apply(List.of(configMap("api", "v2")));
    ConfigMap second = client.configMaps().inNamespace(NS).withName("api").get();
    assertThat(second.getData()).containsEntry("VERSION", "v2");
    assertThat(Long.parseLong(second.getMetadata().getResourceVersion()))
        .isGreaterThan(Long.parseLong(first.getMetadata().getResourceVersion()));
    assertThat(out.get(0).getMetadata().getResourceVersion()).isEqualTo(second.getMetadata().getResourceVersion());
  }

  @Test
  void objects_areAppliedInDependencyOrder_namespaceConfigWorkloadsRoutes() throws Exception {
    List<HasMetadata> objects = List.of(route("api"), deployment("api"), service("api"), namespace(),
        configMap("api", "v1"), new SecretBuilder().withNewMetadata().withName("shop").endMetadata().build());
    new Applier(cluster()).apply(objects);
    long ns = version(client.namespaces().withName(NS).get());
    long cm = version(client.configMaps().inNamespace(NS).withName("api").get());
    long secret = version(client.secrets().inNamespace(NS).withName("shop").get());
    long svc = version(client.services().inNamespace(NS).withName("api").get());
    long deployment = version(client.apps().deployments().inNamespace(NS).withName("api").get());
    long httpRoute = version(client.genericKubernetesResources(ROUTES).inNamespace(NS).withName("api").get());
    assertThat(ns).isLessThan(Math.min(cm, Math.min(secret, svc)));
    assertThat(Math.max(cm, Math.max(secret, svc))).isLessThan(deployment);
    assertThat(deployment).isLessThan(httpRoute);
  }

  @Test
  void aCustomResource_isAppliedAsAGenericObject_byItsPlural() throws Exception {
    List<HasMetadata> out = new Applier(cluster()).apply(List.of(route("web")));
    GenericKubernetesResource stored = client.genericKubernetesResources(ROUTES).inNamespace(NS).withName("web").get();
    assertThat(stored).isNotNull();
    assertThat(stored.get("spec", "hostnames").toString()).contains("shop.example.com");
    assertThat(out.get(0).getMetadata().getUid()).isEqualTo(stored.getMetadata().getUid());
  }

  @Test
  void aRefusedObject_isAKubernetesException_namingTheResourceAndNamespace() {
    // The mock refuses an object whose namespace is not the URL's: as a real server refuses an invalid one.
    ConfigMap bad = configMap("bad", "v1");
    bad.getMetadata().setName("");
    assertThatThrownBy(() -> new Applier(cluster()).apply(List.of(bad)))
        .isInstanceOf(KubernetesException.class)
        .hasMessageContaining("configmaps").hasMessageContaining(NS)
        .satisfies(e -> assertThat(((KubernetesException) e).context()).isEqualTo("mock"));
  }

  /**
   * The mock has no server-side apply, so this path is tested against the mock in expectations mode,
   * answering the PATCH as an API server does: the request must be an apply patch with Slipway's field
   * manager and force, and no create or update may follow.
   */
  @Test
  void aServerWithServerSideApply_getsOneApplyPatchPerObject_withFieldManagerSlipwayAndForce() throws Exception {
    KubernetesMockServer ssa = new KubernetesMockServer(false);
    ssa.init(InetAddress.getLoopbackAddress(), 0);
    try (KubernetesClient c = ssa.createClient()) {
      ConfigMap answer = new ConfigMapBuilder(configMap("api", "v1")).editMetadata().withResourceVersion("7")
          .withUid("u-1").endMetadata().build();
      ssa.expect().patch().withPath("/api/v1/namespaces/" + NS + "/configmaps/api?fieldManager=slipway&force=true")
          .andReturn(200, answer).once();
      Applier applier = new Applier(ClusterConnection.of(c, "real", NS, OPTIONS));
      List<HasMetadata> out = applier.apply(List.of(configMap("api", "v1")));
      assertThat(applier.mode()).isEqualTo(Applier.SERVER_SIDE);
      assertThat(out.get(0).getMetadata().getUid()).isEqualTo("u-1");
      assertThat(ssa.getRequestCount()).isEqualTo(1);
      RecordedRequest r = ssa.takeRequest(1, TimeUnit.SECONDS);
      assertThat(r.getMethod()).isEqualTo("PATCH");
      assertThat(r.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
      assertThat(r.getBody().readUtf8()).contains("VERSION").contains("v1");
    } finally {
      ssa.destroy();
    }
  }

  /** An API server takes a resourceVersion in an apply as a precondition; read-back objects must not carry one. */
  @Test
  void anObjectReadBackFromTheCluster_isAppliedAsADesiredState_withoutServerSetFields() throws Exception {
    KubernetesMockServer ssa = new KubernetesMockServer(false);
    ssa.init(InetAddress.getLoopbackAddress(), 0);
    try (KubernetesClient c = ssa.createClient()) {
      ConfigMap read = new ConfigMapBuilder(configMap("api", "v1")).editMetadata().withResourceVersion("41")
          .withUid("u-1").withCreationTimestamp("2026-12-07T10:00:00Z").withGeneration(3L).addNewManagedField()
          .withManager("kubectl").endManagedField().endMetadata().build();
      ssa.expect().patch().withPath("/api/v1/namespaces/" + NS + "/configmaps/api?fieldManager=slipway&force=true")
          .andReturn(200, read).once();
      new Applier(ClusterConnection.of(c, "real", NS, OPTIONS)).apply(List.of(read));
      String body = ssa.takeRequest(1, TimeUnit.SECONDS).getBody().readUtf8();
      assertThat(body).contains("VERSION").doesNotContain("resourceVersion", "u-1", "creationTimestamp", "managedFields",
          "generation");
      assertThat(read.getMetadata().getResourceVersion()).as("the caller's object is left alone").isEqualTo("41");
    } finally {
      ssa.destroy();
    }
  }

  /** Issue 10: a 200-service model's first deploy applies in well under 10 s against the mock. */
  @Test
  void a200ServiceModel_isAppliedWellUnderTenSeconds() throws Exception {
    StringBuilder yaml = new StringBuilder("name: big\nservices:\n");
    for (int i = 0; i < 200; i++) {
      yaml.append("  s").append(i).append(":\n    image: ghcr.io/acme/s").append(i).append(":1.0.0\n")
          .append("    run: \"java -jar s.jar\"\n    port: 8080\n    replicas: 2\n")
          .append("    env: { GREETING: hello }\n    ingress: { host: s").append(i).append(".example.com }\n")
          .append("    autoscaling: { min: 2, max: 4 }\n");
    }
    yaml.append("environments:\n  staging: { target: kubernetes, namespace: ").append(NS).append(" }\n");
    AppSpec app = ModelLoader.parse(yaml.toString(), Path.of("slipway.yaml"), "staging");
    List<Map<String, Object>> maps = KubernetesGenerator.objects(app,
        new GenerateOptions("staging", Map.of("staging", app), false, null, null));
    KubernetesSerialization json = new KubernetesSerialization();
    List<HasMetadata> objects = new ArrayList<>();
    for (Map<String, Object> m : maps) {
      objects.add(json.unmarshal(json.asJson(m), HasMetadata.class));
    }
    assertThat(objects).hasSizeGreaterThanOrEqualTo(1_400);

    // The mock logs every request at INFO: 1,400 lines of its own overhead, not Slipway's.
    java.util.logging.Logger mockLog = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");
    java.util.logging.Level was = mockLog.getLevel();
    mockLog.setLevel(java.util.logging.Level.WARNING);
    long start = System.nanoTime();
    try {
      new Applier(cluster()).apply(objects);
    } finally {
      mockLog.setLevel(was);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    System.out.printf("applied %d objects of a 200-service model in %d ms%n", objects.size(), took.toMillis());
    assertThat(client.apps().deployments().inNamespace(NS).list().getItems()).hasSize(200);
    // The goal is well under 10 s (docs/kubernetes.md has the measurements); the bound leaves room for a
    // machine shared by several builds, where the mock's own per-request work dominates.
    assertThat(took).isLessThan(Duration.ofSeconds(30));
  }

  static final ResourceDefinitionContext ROUTES = new ResourceDefinitionContext.Builder()
      .withGroup("gateway.networking.k8s.io").withVersion("v1").withKind("HTTPRoute").withPlural("httproutes")
      .withNamespaced(true).build();

  private static long version(HasMetadata o) {
    return Long.parseLong(o.getMetadata().getResourceVersion());
  }

  static HasMetadata namespace() {
    return new NamespaceBuilder().withNewMetadata().withName(NS).addToLabels("app.kubernetes.io/managed-by", "slipway")
        .endMetadata().build();
  }

  static ConfigMap configMap(String name, String version) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .addToData("VERSION", version).build();
  }

  static HasMetadata service(String name) {
    return new ServiceBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
        .addToSelector("app", name).addNewPort().withPort(80).endPort().endSpec().build();
  }

  static Deployment deployment(String name) {
    return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withReplicas(1)
        .withNewSelector().addToMatchLabels("app", name).endSelector().withNewTemplate().withNewMetadata()
        .addToLabels("app", name).endMetadata().withNewSpec().addNewContainer().withName(name)
        .withImage("ghcr.io/acme/" + name + ":1").endContainer().endSpec().endTemplate().endSpec().build();
  }

  static GenericKubernetesResource route(String name) {
    return new GenericKubernetesResourceBuilder().withApiVersion("gateway.networking.k8s.io/v1").withKind("HTTPRoute")
        .withNewMetadata().withName(name).endMetadata()
        .addToAdditionalProperties("spec", Map.of("hostnames", List.of("shop.example.com"))).build();
  }
}
