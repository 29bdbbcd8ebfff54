package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.kubernetes.sim.Behaviour;
import dev.slipway.kubernetes.sim.MockCluster;
import dev.slipway.kubernetes.sim.SimKubelet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release whose watch sees it fail is rolled back by a commit: the fabric8 mock server (CRUD) with
 * {@link SimKubelet} as the cluster, and the test playing Argo CD (applying the branch head's files, pruning
 * the Deployments it no longer has) whenever the runner starts waiting.
 */
class GitOpsRollbackTest {
  static final String NS = "shop-staging";
  static final String DIR = "deploy/staging";

  @TempDir Path tmp;
  GitOpsFixture f;
  MockCluster cluster;
  SimKubelet kubelet;
  final AtomicReference<Throwable> syncFailed = new AtomicReference<>();

  @BeforeEach
  void setUp() throws Exception {
    f = new GitOpsFixture(tmp);
    cluster = new MockCluster();
    cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    kubelet = new SimKubelet(cluster.client()).readyDelay(Duration.ofMillis(50)).crashInterval(Duration.ofMillis(100))
        .start();
  }

  @AfterEach
  void tearDown() {
    kubelet.close();
    f.close();
    cluster.close();
    assertThat(syncFailed.get()).isNull();
  }

  /** A runner on the mock cluster; Argo CD (this test) syncs each commit it waits for. */
  GitOpsEnvironment runner() throws KubernetesException {
    GitOpsEnvironment e = f.runner("alice", cluster.client(), line -> {
      f.progress.add(line);
      if (line.startsWith("… waiting")) {
        try {
          sync();
        } catch (Throwable t) {
          syncFailed.set(t);
        }
      }
    });
    e.deadline = Duration.ofSeconds(20);
    return e;
  }

  /** Applies the head's Deployments, Services and ConfigMaps; deletes the Deployments no longer committed. */
  void sync() throws Exception {
    KubernetesClient client = cluster.client();
    RevCommit head = f.commits().getLast();
    Set<String> deployments = new HashSet<>();
    for (String service : List.of("api", "web", "cart")) {
      String yaml = f.file(head, DIR + "/" + service + ".yaml");
      if (yaml == null) {
        continue;
      }
      for (HasMetadata o : client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
        if (o instanceof Deployment || o instanceof Service || o instanceof ConfigMap) {
          client.resource(o).inNamespace(NS).createOr(NonDeletingOperation::update);
        }
        if (o instanceof Deployment) {
          deployments.add(o.getMetadata().getName());
        }
      }
    }
    for (Deployment d : client.apps().deployments().inNamespace(NS).withLabel(ClusterObjects.MANAGED_BY, "slipway")
        .list().getItems()) {
      if (!deployments.contains(d.getMetadata().getName())) {
        client.resource(d).delete();
      }
    }
  }

  String image(String deployment) {
    // A list, not a get by name: the mock server answers a get of a just-deleted object only after a long timeout.
    return cluster.client().apps().deployments().inNamespace(NS).list().getItems().stream()
        .filter(d -> d.getMetadata().getName().equals(deployment))
        .map(d -> d.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()).findFirst().orElse(null);
  }

  @Test
  void aRollingReleaseWhosePodsCrashLoop_isRolledBackByACommit_andHistorySaysWhy() throws Exception {
    kubelet.behave("shop-api:v2", Behaviour.CRASH_LOOP);
    GitOpsEnvironment e = runner();
    assertThat(e.deploy(GitOpsFixture.order("api", "v1")).ok()).isTrue();

    DeployResult r = e.deploy(GitOpsFixture.order("api", "v2"));

    assertThat(r.ok()).as(r.message()).isFalse();
    assertThat(r.message()).startsWith("api r2 rolled back: pod api-").contains("is crash looping", "r1 serves again");
    List<RevCommit> commits = f.commits();
    assertThat(commits).hasSize(3);
    assertThat(commits.get(2).getShortMessage())
        .isEqualTo("rollback api r2 (image ghcr.io/acme/shop-api:v2): traffic back to r1 by alice@host");
    assertThat(f.tree(commits.get(2), DIR + "/api.yaml")).isEqualTo(f.tree(commits.get(0), DIR + "/api.yaml"));
    assertThat(image("api")).isEqualTo("ghcr.io/acme/shop-api:v1");
    List<ClusterRelease> history = e.history("api");
    assertThat(history).extracting(x -> x.id() + " " + x.state()).containsExactly("r2 rolled-back", "r1 live");
    assertThat(history.getFirst().reason()).contains("crash looping");
    assertThat(e.status().services().getFirst().release()).isEqualTo("r1");
  }

  @Test
  void aCanaryThatNeverBecomesReady_isRolledBack_andItsDeploymentPruned() throws Exception {
    kubelet.behave("shop-web:v2", Behaviour.NEVER_READY);
    GitOpsEnvironment e = runner();
    assertThat(e.deploy(GitOpsFixture.order("web", "v1")).ok()).isTrue();
    assertThat(image("web-r1")).isEqualTo("ghcr.io/acme/shop-web:v1");
    e.deadline = Duration.ofSeconds(2);

    DeployResult r = e.deploy(GitOpsFixture.order("web", "v2"));

    assertThat(r.ok()).as(r.message()).isFalse();
    assertThat(r.message()).startsWith("web r2 rolled back: canary never became ready: not applied within 2 s")
        .contains("Deployment web-r2 runs ghcr.io/acme/shop-web:v2 but has not rolled out");
    assertThat(f.commits()).extracting(RevCommit::getShortMessage).containsExactly(
        "deploy web r1 (image ghcr.io/acme/shop-web:v1) by alice@host",
        "deploy web r2 step 1/3: 10% to canary (image ghcr.io/acme/shop-web:v2) by alice@host",
        "rollback web r2 (image ghcr.io/acme/shop-web:v2): traffic back to r1 by alice@host");
    assertThat(image("web-r2")).isNull();
    assertThat(image("web-r1")).isEqualTo("ghcr.io/acme/shop-web:v1");
    assertThat(e.history("web")).extracting(x -> x.id() + " " + x.state()).containsExactly("r2 rolled-back", "r1 live");
  }

  @Test
  void open_watchesThroughTheKubeconfigsContext_andRefusesAContextItDoesNotHave() throws Exception {
    Path kubeconfig = cluster.writeKubeconfig(tmp, "mock");
    try (GitOpsEnvironment e = GitOpsEnvironment.open(f.app, f.env, tmp,
        new ConnectOptions(kubeconfig, null, "alice@laptop", null), line -> {
          if (line.startsWith("… waiting")) {
            try {
              sync();
            } catch (Throwable t) {
              syncFailed.set(t);
            }
          }
        })) {
      DeployResult r = e.deploy(GitOpsFixture.order("api", "v1"));
      assertThat(r.ok()).as(r.message()).isTrue();
      assertThat(e.status().context()).isEqualTo("mock");
    }
    assertThatThrownBy(() -> GitOpsEnvironment.open(f.app, f.env, tmp,
        new ConnectOptions(kubeconfig, "prod", "alice@laptop", null), line -> {}))
        .isInstanceOfSatisfying(KubernetesException.class, x -> {
          assertThat(x.exitCode()).isEqualTo(KubernetesException.BAD_INPUT);
          assertThat(x.getMessage()).contains("context prod is not in");
          assertThat(x.fix()).contains("mock");
        });
  }

  @Test
  void aClusterThatCannotBeReached_isNamedWithItsContextAndNamespace() throws Exception {
    Path kubeconfig = MockCluster.writeKubeconfig(tmp, "gone", Map.of("gone", java.net.URI.create("http://127.0.0.1:1")));
    try (GitOpsEnvironment e = GitOpsEnvironment.open(f.app, f.env, tmp,
        new ConnectOptions(kubeconfig, null, "alice@laptop", null), line -> {})) {
      assertThatThrownBy(() -> e.deploy(GitOpsFixture.order("api", "v1")))
          .isInstanceOfSatisfying(KubernetesException.class, x -> {
            assertThat(x.getMessage()).contains("cannot watch Deployment api", "context gone");
            assertThat(x.context()).isEqualTo("gone");
            assertThat(x.namespace()).isEqualTo(NS);
            assertThat(x.fix()).contains("the commit is pushed", "slipway status --env staging");
          });
    }
    assertThat(f.commits()).hasSize(1);
  }
}
