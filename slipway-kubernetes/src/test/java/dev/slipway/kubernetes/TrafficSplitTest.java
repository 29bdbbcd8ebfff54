package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The traffic mechanisms against the fabric8 mock server in CRUD mode. Every request the client sends is
 * recorded by an interceptor, so "one patch" is counted, not assumed. A concurrent change is made
 * between Slipway's read and its patch by handing the patch a read taken before the change.
 */
@EnableKubernetesMockClient(crud = true)
class TrafficSplitTest {
  static KubernetesMockServer server;
  static KubernetesClient plain;

  private final List<String> requests = new CopyOnWriteArrayList<>();
  private KubernetesClient client;

  @BeforeEach
  void counting() {
    Interceptor recorder = new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        requests.add(request.method() + " " + request.uri().getPath());
      }
    };
    client = server.createClient(b -> b.withHttpClientBuilderConsumer(h -> h.addOrReplaceInterceptor("record", recorder)));
    // The mock answers a failed JSON patch `test` with a 500 (kube-apiserver: 422), which the client would
    // retry for minutes; a real cluster's 5xx retries are the connection's business, not these tests'.
    client.getConfiguration().setRequestRetryBackoffLimit(0);
  }

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void gateway_setsExactWeights_andRestoresWithOnePatchOfTheRoute() throws Exception {
    ClusterObjects objects = installed("gateway", "r1");
    TrafficSplit split = TrafficSplit.forService(client, objects, "api");
    assertThat(split).isInstanceOf(GatewayTrafficSplit.class);
    assertThat(split.read("api").weights()).containsExactly(Map.entry("r1", 100));

    create(objects.releaseService("api", "r2"));
    TrafficSplit.Applied applied = split.set("api", "r1", "r2", 10);
    assertThat(applied.weights()).containsExactly(Map.entry("r1", 90), Map.entry("r2", 10));
    assertThat(applied.coarse()).isFalse();
    assertThat(split.read("api").describe()).isEqualTo("r1 90% · r2 10%");

    requests.clear();
    assertThat(split.restore("api", "r1").weights()).containsExactly(Map.entry("r1", 100));
    assertThat(writes()).containsExactly("PATCH /apis/gateway.networking.k8s.io/v1/namespaces/shop-gw/httproutes/api");
    assertThat(split.read("api").weights()).containsExactly(Map.entry("r1", 100));
  }

  @Test
  void gateway_refusesToOverwriteAChangeMadeSinceItRead() throws Exception {
    ClusterObjects objects = installed("gateway", "r1");
    GatewayTrafficSplit split = (GatewayTrafficSplit) TrafficSplit.forService(client, objects, "api");
    GenericKubernetesResource read = plain.genericKubernetesResources(GatewayTrafficSplit.HTTP_ROUTE)
        .inNamespace("shop-gw").withName("api").get();
    plain.genericKubernetesResources(GatewayTrafficSplit.HTTP_ROUTE).inNamespace("shop-gw").withName("api")
        .edit(r -> {
          @SuppressWarnings("unchecked")
          Map<String, Object> spec = (Map<String, Object>) r.getAdditionalProperties().get("spec");
          @SuppressWarnings("unchecked")
          Map<String, Object> rule = (Map<String, Object>) ((List<?>) spec.get("rules")).getFirst();
          rule.put("backendRefs", List.of(Map.of("name", "api-r7", "port", 8080, "weight", 100)));
          return r;
        });
    // kube-apiserver answers the failed `test` with 422, which says "changed by someone else"; the mock
    // answers 500, so here only the refusal and the surviving edit are checked.
    assertThatThrownBy(() -> split.write(read, "api", "r1", "r2", 10)).isInstanceOf(KubernetesException.class)
        .hasMessageContaining("HTTPRoute api");
    assertThat(split.read("api").weights()).containsExactly(Map.entry("r7", 100));
  }

  @Test
  void nginx_weightsACanaryIngress_andRestoresWithOnePatch() throws Exception {
    ClusterObjects objects = installed("nginx", "r1");
    TrafficSplit split = TrafficSplit.forService(client, objects, "api");
    assertThat(split).isInstanceOf(NginxTrafficSplit.class);
    assertThat(split.set("api", "r1", "r2", 25).weights()).containsExactly(Map.entry("r1", 75), Map.entry("r2", 25));
    Ingress canary = plain.network().v1().ingresses().inNamespace("shop-nginx").withName("api-canary").get();
    assertThat(canary.getMetadata().getAnnotations()).containsEntry(ClusterObjects.NGINX_CANARY_WEIGHT, "25");
    assertThat(canary.getSpec().getRules().getFirst().getHttp().getPaths().getFirst().getBackend().getService()
        .getName()).isEqualTo("api-r2");

    requests.clear();
    assertThat(split.restore("api", "r1").weights()).containsExactly(Map.entry("r1", 100));
    assertThat(writes()).containsExactly("PATCH /apis/networking.k8s.io/v1/namespaces/shop-nginx/ingresses/api-canary");
  }

  @Test
  void nginx_promotion_movesTheMainIngressToTheNewStable_withoutMovingTraffic() throws Exception {
    ClusterObjects objects = installed("nginx", "r1");
    TrafficSplit split = TrafficSplit.forService(client, objects, "api");
    split.set("api", "r1", "r2", 100);
    assertThat(split.read("api").weights()).containsExactly(Map.entry("r2", 100));
    assertThat(split.restore("api", "r2").weights()).containsExactly(Map.entry("r2", 100));
    Ingress main = plain.network().v1().ingresses().inNamespace("shop-nginx").withName("api").get();
    assertThat(main.getSpec().getRules().getFirst().getHttp().getPaths().getFirst().getBackend().getService()
        .getName()).isEqualTo("api-r2");
  }

  @Test
  void replicas_areCoarse_andRestoreScalesTheCanaryToZeroWithOnePatch() throws Exception {
    ClusterObjects objects = installed("nginx", "r1");
    create(objects.workload("search", "r2", "ghcr.io/acme/search:2.1"));
    scale("search-r2", 0);
    TrafficSplit split = TrafficSplit.forService(client, objects, "search");
    assertThat(split).isInstanceOf(ReplicaTrafficSplit.class);

    TrafficSplit.Applied applied = split.set("search", "r1", "r2", 10);
    // 10% of 2 replicas: 2 stable and 1 canary pod, so a third of the traffic.
    assertThat(applied.coarse()).isTrue();
    assertThat(applied.replicas()).containsExactly(Map.entry("r1", 2), Map.entry("r2", 1));
    assertThat(applied.weights()).containsExactly(Map.entry("r1", 67), Map.entry("r2", 33));
    assertThat(applied.describe()).contains("coarse");

    requests.clear();
    assertThat(split.restore("search", "r1").replicas()).containsExactly(Map.entry("r1", 2), Map.entry("r2", 0));
    assertThat(writes()).containsExactly("PATCH /apis/apps/v1/namespaces/shop-nginx/deployments/search-r2");

    applied = split.set("search", "r1", "r2", 75);
    assertThat(applied.replicas()).containsExactly(Map.entry("r1", 1), Map.entry("r2", 2));
    assertThat(split.set("search", "r1", "r2", 100).weights()).containsExactly(Map.entry("r2", 100));
  }

  @Test
  void replicaCounts_forAWeight() {
    assertThat(ReplicaTrafficSplit.replicas(4, 0)).containsExactly(4, 0);
    assertThat(ReplicaTrafficSplit.replicas(4, 20)).containsExactly(4, 1);
    assertThat(ReplicaTrafficSplit.replicas(4, 50)).containsExactly(4, 4);
    assertThat(ReplicaTrafficSplit.replicas(4, 80)).containsExactly(1, 4);
    assertThat(ReplicaTrafficSplit.replicas(1, 1)).containsExactly(1, 1);
    assertThat(ReplicaTrafficSplit.replicas(4, 100)).containsExactly(0, 4);
  }

  @Test
  void selectorSwitch_movesBlueGreenTrafficWithOnePatch_andReadsItBack() throws Exception {
    ClusterObjects objects = installed("nginx", "r1");
    SelectorSwitch sw = new SelectorSwitch(client, objects);
    assertThat(sw.active("web")).isEqualTo("r1");
    requests.clear();
    assertThat(sw.switchTo("web", "r2")).isEqualTo("r2");
    assertThat(writes()).containsExactly("PATCH /api/v1/namespaces/shop-nginx/services/web");
    var selector = plain.services().inNamespace("shop-nginx").withName("web").get().getSpec().getSelector();
    assertThat(selector).containsEntry(ClusterObjects.RELEASE, "r2").containsEntry(ClusterObjects.NAME, "web");
    requests.clear();
    assertThat(sw.switchTo("web", "r2")).isEqualTo("r2");
    assertThat(writes()).isEmpty();
  }

  @Test
  void selectorSwitch_refusesAChangeOfTheSelectorMadeSinceItRead() throws Exception {
    ClusterObjects objects = installed("nginx", "r1");
    SelectorSwitch sw = new SelectorSwitch(client, objects);
    var read = plain.services().inNamespace("shop-nginx").withName("web").get();
    plain.services().inNamespace("shop-nginx").withName("web").edit(s -> {
      s.getSpec().getSelector().put(ClusterObjects.RELEASE, "r9");
      return s;
    });
    assertThatThrownBy(() -> sw.switchTo(read, "r2")).isInstanceOf(KubernetesException.class)
        .hasMessageContaining("Service web");
    assertThat(sw.active("web")).isEqualTo("r9");
  }

  @Test
  void aMissingRoute_isAClearError() {
    ClusterObjects objects = ObjectsFixture.objects(ObjectsFixture.traffic(), "gateway");
    TrafficSplit split = TrafficSplit.forService(client, objects, "api");
    assertThatThrownBy(() -> split.read("api")).isInstanceOfSatisfying(KubernetesException.class, e -> {
      assertThat(e.getMessage()).isEqualTo("HTTPRoute api does not exist in namespace shop-gw");
      assertThat(e.fix()).contains("slipway deploy");
    });
  }

  /** The environment's first deploy at {@code releaseId}, created object by object (the Applier's fallback path). */
  private ClusterObjects installed(String environment, String releaseId) {
    ClusterObjects objects = ObjectsFixture.objects(ObjectsFixture.traffic(), environment);
    plain.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName(objects.namespace()).endMetadata().build()).createOr(r -> r.update());
    for (HasMetadata o : ObjectsFixture.install(objects, releaseId)) {
      if (!(o instanceof io.fabric8.kubernetes.api.model.Namespace)) {
        create(o);
      }
    }
    return objects;
  }

  private static void create(HasMetadata o) {
    if (o instanceof GenericKubernetesResource g) {
      plain.genericKubernetesResources(GatewayTrafficSplit.HTTP_ROUTE).inNamespace(g.getMetadata().getNamespace())
          .resource(g).createOr(r -> r.update());
    } else {
      plain.resource(o).createOr(r -> r.update());
    }
  }

  private static void scale(String deployment, int replicas) {
    plain.apps().deployments().inNamespace("shop-nginx").withName(deployment).edit(d -> {
      d.getSpec().setReplicas(replicas);
      return d;
    });
  }

  private List<String> writes() {
    return requests.stream().filter(r -> !r.startsWith("GET ")).toList();
  }
}
