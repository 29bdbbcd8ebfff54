package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After the push, the runner watches the cluster; here the test plays Argo CD against the mock server (CRUD). */
@EnableKubernetesMockClient(crud = true)
class GitOpsWatchTest {
  static final String NS = "shop-staging";

  KubernetesClient client;
  @TempDir Path tmp;
  GitOpsFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new GitOpsFixture(tmp);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  /** Applies the branch head's Deployment of {@code service}, as Argo CD would on a sync. */
  Deployment sync(String service) throws Exception {
    String yaml = f.file(f.commits().getLast(), "deploy/staging/" + service + ".yaml");
    for (HasMetadata o : client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
      if (o instanceof Deployment d && d.getMetadata().getName().equals(service)) {
        return client.resource(d).inNamespace(NS).createOr(NonDeletingOperation::update);
      }
    }
    throw new AssertionError("no Deployment " + service + " committed");
  }

  /** Sets the status a deployment controller sets once every replica runs the new template. */
  void rolledOut(String service) {
    client.apps().deployments().inNamespace(NS).withName(service).editStatus(d -> new DeploymentBuilder(d)
        .withNewStatus().withObservedGeneration(d.getMetadata().getGeneration()).withReplicas(2).withUpdatedReplicas(2)
        .withAvailableReplicas(2).withReadyReplicas(2).endStatus().build());
  }

  @Test
  void deploy_returnsOnlyOnceArgoCdHasAppliedTheCommitAndItHasRolledOut() throws Exception {
    AtomicBoolean statusSet = new AtomicBoolean();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    GitOpsEnvironment e = f.runner("alice", client, line -> {
      if (line.startsWith("… waiting")) {
        Thread.ofVirtual().start(() -> {
          try {
            sync("api");
            Thread.sleep(300);
            statusSet.set(true);
            rolledOut("api");
          } catch (Throwable t) {
            failed.set(t);
          }
        });
      }
    });
    e.deadline = Duration.ofSeconds(20);

    DeployResult r = e.deploy(GitOpsFixture.order("api", "v2"));

    assertThat(failed.get()).isNull();
    assertThat(statusSet).isTrue();
    assertThat(r.ok()).as(r.message()).isTrue();
    assertThat(r.message()).startsWith("api r1 is live (").endsWith(" applied)");
    assertThat(client.apps().deployments().inNamespace(NS).withName("api").get().getSpec().getTemplate().getSpec()
        .getContainers().getFirst().getImage()).isEqualTo("ghcr.io/acme/shop-api:v2");
  }

  @Test
  void aCommitNotSyncedWithinTheDeadline_isReportedWithWhatTheClusterRuns() throws Exception {
    GitOpsEnvironment e = f.runner("alice", client, line -> {});
    e.deploy(new DeployOrder("api", "v1", null, null, false, null, false));
    sync("api");
    rolledOut("api");
    e.deadline = Duration.ofMillis(800);

    DeployResult r = e.deploy(GitOpsFixture.order("api", "v2"));

    // A failed watch is rolled back by a commit (Git says again what the cluster runs), and is not live.
    assertThat(r.ok()).isFalse();
    assertThat(r.message()).contains("api r2 rolled back: not applied within", "still runs ghcr.io/acme/shop-api:v1",
        "r1 serves again");
    assertThat(f.commits().getLast().getShortMessage()).startsWith("rollback api r2 (image ghcr.io/acme/shop-api:v2): traffic back to r1");
    assertThat(e.history("api")).extracting(x -> x.id() + " " + x.state()).containsExactly("r2 rolled-back", "r1 live");
  }

  @Test
  void anAppliedTemplateThatNeverRollsOut_isNotReportedLive() throws Exception {
    GitOpsEnvironment e = f.runner("alice", client, line -> {
      if (line.startsWith("… waiting")) {
        Thread.ofVirtual().start(() -> {
          try {
            sync("api");
          } catch (Exception x) {
            throw new IllegalStateException(x);
          }
        });
      }
    });
    e.deadline = Duration.ofSeconds(2);

    DeployResult r = e.deploy(GitOpsFixture.order("api", "v2"));

    assertThat(r.ok()).isFalse();
    assertThat(r.message()).contains("api r1 failed: ", "runs ghcr.io/acme/shop-api:v2 but has not rolled out: 0/2 updated");
    // The first release has nothing to go back to: a commit changing no file records it failed, never live.
    assertThat(e.history("api")).extracting(x -> x.id() + " " + x.state()).containsExactly("r1 failed");
  }

  @Test
  void withoutWaiting_theCommandEndsWithThePush() throws Exception {
    GitOpsEnvironment e = f.runner("alice", client, line -> {});
    long start = System.nanoTime();

    DeployResult r = e.deploy(new DeployOrder("api", "v2", null, null, false, null, false));

    assertThat(r.ok()).isTrue();
    assertThat(r.message()).startsWith("api r1 committed as ");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(GitOpsEnvironment.DEFAULT_DEADLINE);
    assertThat(client.apps().deployments().inNamespace(NS).withName("api").get()).isNull();
  }
}
