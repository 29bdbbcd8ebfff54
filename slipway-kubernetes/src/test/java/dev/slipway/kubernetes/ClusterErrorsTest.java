package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.store.DeploymentPhase;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The mock in expectations mode answers with the Status bodies a real API server sends (the shapes
 * are those of kube-apiserver 1.30), so each translation is tested through the client as it runs.
 */
@EnableKubernetesMockClient
class ClusterErrorsTest {
  static final String NS = "shop-staging";

  KubernetesMockServer server;
  KubernetesClient client;

  private ClusterConnection cluster() {
    return ClusterConnection.of(client, "ci", NS, new ConnectOptions(null, null, "ci@runner", Duration.ofSeconds(15)));
  }

  static Status status(int code, String reason, String message, String kind, String name, String group) {
    return new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message)
        .withNewDetails().withKind(kind).withName(name).withGroup(group).endDetails().build();
  }

  @Test
  void forbidden_namesVerbResourceNamespaceAndContext_andTheMissingRoleRule() {
    server.expect().patch().withPath("/apis/apps/v1/namespaces/" + NS + "/deployments/api?fieldManager=slipway&force=true")
        .andReturn(403, status(403, "Forbidden", "deployments.apps \"api\" is forbidden: User \"ci\" cannot patch "
            + "resource \"deployments\" in API group \"apps\" in the namespace \"shop-staging\"", "deployments", "api",
            "apps")).once();
    assertThatThrownBy(() -> new Applier(cluster()).apply(List.of(ApplierTest.deployment("api"))))
        .isInstanceOf(KubernetesException.class)
        .hasMessage("no RBAC permission to patch deployments in namespace shop-staging (context ci)")
        .satisfies(e -> {
          KubernetesException k = (KubernetesException) e;
          assertThat(k.context()).isEqualTo("ci");
          assertThat(k.namespace()).isEqualTo(NS);
          assertThat(k.exitCode()).isEqualTo(KubernetesException.FAILED);
          assertThat(k.fix()).contains("""
              - apiGroups: ["apps"]
                resources: ["deployments"]
                verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
              """).contains("kubectl apply -n shop-staging -f docs/kubernetes-role.yaml --context ci");
        });
  }

  @Test
  void aMissingNamespace_saysHowToCreateIt() {
    server.expect().post().withPath("/api/v1/namespaces/" + NS + "/secrets")
        .andReturn(404, status(404, "NotFound", "namespaces \"shop-staging\" not found", "namespaces", NS, null)).once();
    ClusterRelease r = new ClusterRelease("api", 1, "img", "d", "install", DeploymentPhase.STARTING, "in-progress",
        null, -1, Map.of(), Instant.now(), null, "ci@runner");
    assertThatThrownBy(() -> new ReleaseRecords(cluster()).create(r))
        .isInstanceOf(KubernetesException.class)
        .hasMessage("namespace shop-staging does not exist (context ci)")
        .satisfies(e -> assertThat(((KubernetesException) e).fix())
            .contains("kubectl create namespace shop-staging --context ci").contains("first deploy"));
  }

  @Test
  void anApplyIntoAMissingNamespace_isThatError_notAFallbackToCreate() {
    server.expect().patch().withPath("/api/v1/namespaces/" + NS + "/configmaps/api?fieldManager=slipway&force=true")
        .andReturn(404, status(404, "NotFound", "namespaces \"shop-staging\" not found", "namespaces", NS, null)).once();
    Applier applier = new Applier(cluster());
    assertThatThrownBy(() -> applier.apply(List.of(ApplierTest.configMap("api", "v1"))))
        .hasMessage("namespace shop-staging does not exist (context ci)");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(applier.mode()).isNotEqualTo(Applier.CREATE_UPDATE);
  }

  @Test
  void refusedCredentials_sayHowToRenewThem() {
    server.expect().get().withPath("/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases?limit=1")
        .andReturn(401, status(401, "Unauthorized", "Unauthorized", null, null, null)).always();
    assertThatThrownBy(() -> cluster().check())
        .isInstanceOf(KubernetesException.class)
        .hasMessageContaining("refused the credentials of context ci (401 Unauthorized)")
        .hasMessageContaining(client.getConfiguration().getMasterUrl())
        .satisfies(e -> assertThat(((KubernetesException) e).fix()).contains("kubectl auth whoami --context ci"));
  }

  @Test
  void aNamespaceTheCredentialsMayNotCreate_isSkipped_andTheRestApplied() throws Exception {
    server.expect().patch().withPath("/api/v1/namespaces/" + NS + "?fieldManager=slipway&force=true")
        .andReturn(403, status(403, "Forbidden", "namespaces \"shop-staging\" is forbidden", "namespaces", NS, null))
        .once();
    ConfigMap cm = ApplierTest.configMap("api", "v1");
    server.expect().patch().withPath("/api/v1/namespaces/" + NS + "/configmaps/api?fieldManager=slipway&force=true")
        .andReturn(200, cm).once();
    List<HasMetadata> out = new Applier(cluster()).apply(List.of(ApplierTest.namespace(), cm));
    assertThat(out).hasSize(2);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aClusterScopedRefusal_saysARoleCannotGrantIt_andNamesAnAdminsCommand() {
    KubernetesException k = ClusterErrors.translate(new KubernetesClientException(
        status(403, "Forbidden", "namespaces is forbidden", "namespaces", null, null)), "create", "namespaces", "ci",
        NS, "https://10.0.0.1:6443");
    assertThat(k.getMessage()).startsWith("no RBAC permission to create namespaces (cluster-scoped; context ci)");
    assertThat(k.fix()).contains("a Role cannot grant namespaces").contains("kubectl create namespace shop-staging")
        .contains("resources: [\"namespaces\"]");
  }
}
