package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitOpsEnvironmentTest {
  static final String DIR = "deploy/staging";

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

  @Test
  void deployTwice_makesOneCommitEach_namingServiceReleaseImageAndWho() throws Exception {
    GitOpsEnvironment e = f.runner("alice");
    DeployResult first = e.deploy(GitOpsFixture.order("api", "v1"));
    DeployResult second = e.deploy(GitOpsFixture.order("api", "v2"));

    List<RevCommit> commits = f.commits();
    assertThat(commits).hasSize(2);
    assertThat(commits.get(0).getShortMessage()).isEqualTo("deploy api r1 (image ghcr.io/acme/shop-api:v1) by alice@host");
    assertThat(commits.get(1).getShortMessage()).isEqualTo("deploy api r2 (image ghcr.io/acme/shop-api:v2) by alice@host");
    assertThat(commits.get(1).getFullMessage()).contains("Slipway-Release: api r2", "Slipway-Image: ghcr.io/acme/shop-api:v2");
    // The first deploy installs the environment: a file per service and one for what they share.
    assertThat(f.file(commits.get(0), DIR + "/_shared.yaml")).contains("kind: Namespace", "name: shop-staging");
    assertThat(f.file(commits.get(0), DIR + "/web.yaml")).contains("image: ghcr.io/acme/shop-web:1.0.0");
    assertThat(f.file(commits.get(0), DIR + "/api.yaml")).contains("kind: Deployment", "image: ghcr.io/acme/shop-api:v1");
    assertThat(f.file(commits.get(1), DIR + "/api.yaml")).contains("image: ghcr.io/acme/shop-api:v2")
        .doesNotContain("shop-api:v1");
    assertThat(f.tree(commits.get(1), DIR + "/web.yaml")).isEqualTo(f.tree(commits.get(0), DIR + "/web.yaml"));
    assertThat(first.ok()).isTrue();
    assertThat(second.release().id()).isEqualTo("r2");

    List<ClusterRelease> history = f.runner("bob").history("api");
    assertThat(history).extracting(ClusterRelease::id).containsExactly("r2", "r1");
    assertThat(history).extracting(ClusterRelease::state).containsExactly("live", "superseded");
    assertThat(history.getFirst().image()).isEqualTo("ghcr.io/acme/shop-api:v2");
    assertThat(history.getFirst().by()).isEqualTo("alice@host");
    assertThat(history.getLast().strategy()).isEqualTo("install");
  }

  @Test
  void rollback_isANewCommitRestoringTheFirstReleasesManifests_neverARewrite() throws Exception {
    GitOpsEnvironment e = f.runner("alice");
    e.deploy(GitOpsFixture.order("api", "v1"));
    e.deploy(GitOpsFixture.order("api", "v2"));
    List<RevCommit> before = f.commits();

    DeployResult back = e.rollback("api", null);

    List<RevCommit> commits = f.commits();
    assertThat(commits).hasSize(3);
    assertThat(commits.subList(0, 2)).isEqualTo(before);
    assertThat(commits.get(2).getShortMessage()).isEqualTo("rollback api r3 to r1 (image ghcr.io/acme/shop-api:v1) by alice@host");
    assertThat(f.tree(commits.get(2), DIR)).isEqualTo(f.tree(commits.get(0), DIR));
    try (RevWalk walk = new RevWalk(f.repository())) {
      RevCommit head = walk.parseCommit(f.repository().resolve("refs/heads/main"));
      for (RevCommit old : before) {
        assertThat(walk.isMergedInto(walk.parseCommit(old), head)).isTrue();
      }
    }
    assertThat(commits).allSatisfy(c -> assertThat(c.getParentCount()).isLessThanOrEqualTo(1));
    assertThat(back.release().image()).isEqualTo("ghcr.io/acme/shop-api:v1");
    assertThat(e.history("api")).extracting(r -> r.id() + " " + r.state() + " " + r.reason())
        .containsExactly("r3 live rollback to r1", "r2 superseded deploy", "r1 superseded deploy");
    // Back to r2 by revision: a fourth commit, the second's manifests.
    e.rollback("api", 2);
    assertThat(f.tree(f.commits().get(3), DIR)).isEqualTo(f.tree(commits.get(1), DIR));
  }

  @Test
  void rejectedPush_isComputedAgainOnTopOfTheOtherRunnersCommit() throws Exception {
    GitOpsEnvironment alice = f.runner("alice");
    GitOpsEnvironment bob = f.runner("bob");
    alice.deploy(GitOpsFixture.order("api", "v1"));
    AtomicInteger pushes = new AtomicInteger();
    alice.repo().beforePush = () -> {
      if (pushes.getAndIncrement() == 0) {
        try {
          bob.deploy(GitOpsFixture.order("api", "v9"));
        } catch (KubernetesException x) {
          throw new AssertionError(x);
        }
      }
    };

    DeployResult r = alice.deploy(GitOpsFixture.order("api", "v2"));

    assertThat(pushes).hasValue(2);
    List<RevCommit> commits = f.commits();
    assertThat(commits).extracting(RevCommit::getShortMessage).containsExactly(
        "deploy api r1 (image ghcr.io/acme/shop-api:v1) by alice@host",
        "deploy api r2 (image ghcr.io/acme/shop-api:v9) by bob@host",
        "deploy api r3 (image ghcr.io/acme/shop-api:v2) by alice@host");
    assertThat(commits.get(2).getParent(0)).isEqualTo(commits.get(1));
    assertThat(r.release().id()).isEqualTo("r3");
  }

  @Test
  void aPushRejectedEveryTime_endsWithAClearError() throws Exception {
    GitOpsEnvironment alice = f.runner("alice");
    GitOpsEnvironment bob = f.runner("bob");
    alice.deploy(GitOpsFixture.order("api", "v1"));
    AtomicInteger tag = new AtomicInteger();
    alice.repo().beforePush = () -> {
      try {
        bob.deploy(GitOpsFixture.order("api", "b" + tag.incrementAndGet()));
      } catch (KubernetesException x) {
        throw new AssertionError(x);
      }
    };

    assertThatThrownBy(() -> alice.deploy(GitOpsFixture.order("api", "v2")))
        .isInstanceOf(KubernetesException.class)
        .hasMessageContaining("rejected " + GitOpsRepo.MAX_ATTEMPTS + " times");
    assertThat(f.commits()).extracting(RevCommit::getShortMessage).noneMatch(m -> m.contains("shop-api:v2"));
  }

  @Test
  void canary_makesOneCommitPerTrafficStep_pausesUntilPromoted_thenPromotes() throws Exception {
    GitOpsEnvironment e = f.runner("alice");
    e.deploy(GitOpsFixture.order("web", "v1"));

    DeployResult paused = e.deploy(GitOpsFixture.order("web", "v2"));

    assertThat(paused.ok()).isTrue();
    assertThat(paused.message()).contains("paused");
    List<RevCommit> commits = f.commits();
    assertThat(commits).hasSize(2);
    assertThat(commits.get(1).getShortMessage())
        .isEqualTo("deploy web r2 step 1/3: 10% to canary (image ghcr.io/acme/shop-web:v2) by alice@host");
    String step = f.file(commits.get(1), DIR + "/web.yaml");
    // Per-release Deployments as the direct runner applies them; without ingress the split is by replicas.
    assertThat(step).contains("name: web-r2", "name: web-r1", "image: ghcr.io/acme/shop-web:v2",
        "image: ghcr.io/acme/shop-web:v1", "slipway.dev/release: r2");
    // Another deploy of web is refused while r2 is rolling out, naming who runs it.
    assertThatThrownBy(() -> f.runner("bob").deploy(GitOpsFixture.order("web", "v3")))
        .isInstanceOfSatisfying(KubernetesException.class, x -> {
          assertThat(x.exitCode()).isEqualTo(KubernetesException.HELD);
          assertThat(x.getMessage()).contains("web r2 is rolling out", "alice@host");
        });
    ClusterStatus.Service row = e.status().services().get(1);
    assertThat(row.rollout()).isEqualTo("r2");
    // 10% of 2 replicas is 1 canary pod beside 2 stable ones: coarse, and said so.
    assertThat(row.traffic()).isEqualTo("r1 67% · r2 33% (replica ratio, coarse)");

    DeployResult done = f.runner("carol").promote("web", true);

    assertThat(done.ok()).isTrue();
    commits = f.commits();
    assertThat(commits).extracting(RevCommit::getShortMessage).containsExactly(
        "deploy web r1 (image ghcr.io/acme/shop-web:v1) by alice@host",
        "deploy web r2 step 1/3: 10% to canary (image ghcr.io/acme/shop-web:v2) by alice@host",
        "deploy web r2 step 3/3: 50% to canary (image ghcr.io/acme/shop-web:v2) by carol@host",
        "promote web r2: all traffic (image ghcr.io/acme/shop-web:v2) by carol@host");
    assertThat(f.file(commits.get(2), DIR + "/web.yaml")).contains("name: web-r2", "name: web-r1", "replicas: 2");
    String live = f.file(commits.get(3), DIR + "/web.yaml");
    assertThat(live).doesNotContain("web-r1", "shop-web:v1").contains("name: web-r2", "image: ghcr.io/acme/shop-web:v2");
    assertThat(e.history("web")).extracting(r -> r.id() + " " + r.state()).containsExactly("r2 live", "r1 superseded");
  }

  @Test
  void abort_commitsTheStableReleaseAlone() throws Exception {
    GitOpsEnvironment e = f.runner("alice");
    e.deploy(GitOpsFixture.order("web", "v1"));
    e.deploy(GitOpsFixture.order("web", "v2"));

    e.abort("web");

    List<RevCommit> commits = f.commits();
    assertThat(commits.getLast().getShortMessage()).startsWith("abort web r2");
    assertThat(f.tree(commits.getLast(), DIR)).isEqualTo(f.tree(commits.getFirst(), DIR));
    assertThat(e.history("web")).extracting(r -> r.id() + " " + r.state()).containsExactly("r2 rolled-back", "r1 live");
  }

  @Test
  void noCommittedFileHoldsASecretValue() throws Exception {
    GitOpsEnvironment e = f.runner("alice");
    e.deploy(GitOpsFixture.order("api", "v1"));
    e.deploy(GitOpsFixture.order("api", "v2"));
    e.deploy(GitOpsFixture.order("web", "v2"));
    e.promote("web", true);
    e.rollback("api", null);

    int blobs = 0;
    try (RevWalk walk = new RevWalk(f.repository())) {
      walk.markStart(walk.parseCommit(f.repository().resolve("refs/heads/main")));
      for (RevCommit c : walk) {
        assertThat(c.getFullMessage()).doesNotContain(GitOpsFixture.MARKER);
        try (TreeWalk tree = new TreeWalk(f.repository())) {
          tree.addTree(c.getTree());
          tree.setRecursive(true);
          while (tree.next()) {
            ObjectId id = tree.getObjectId(0);
            String text = new String(f.repository().open(id, Constants.OBJ_BLOB).getBytes(), StandardCharsets.UTF_8);
            assertThat(text).as(tree.getPathString() + " at " + c.getName()).doesNotContain(GitOpsFixture.MARKER);
            blobs++;
          }
        }
      }
    }
    assertThat(blobs).isGreaterThan(10);
    // The value is referenced, so the check above looked at the right file.
    assertThat(f.file(f.commits().getFirst(), DIR + "/api.yaml")).contains("ADMIN_TOKEN", "secretKeyRef");
  }

  @Test
  void open_clonesIntoTheModelsStateDirectory_andNamesTheRunnerWithoutItsPid() throws Exception {
    try (GitOpsEnvironment e = GitOpsEnvironment.open(f.app, f.env, tmp,
        new ConnectOptions(null, null, "alice@laptop (pid 4242)", null), f.progress::add)) {
      e.deploy(new DeployOrder("api", "v1", null, null, false, null, false));
    }
    assertThat(f.commits().getLast().getShortMessage()).isEqualTo("deploy api r1 (image ghcr.io/acme/shop-api:v1) by alice@laptop");
    assertThat(tmp.resolve(".slipway/gitops")).isDirectoryContaining(p -> p.getFileName().toString().startsWith("staging-"));
    assertThat(f.progress).anyMatch(l -> l.startsWith("✓ pushed ") && l.endsWith(": deploy api r1 (image ghcr.io/acme/shop-api:v1) by alice@laptop"));
  }

  @Test
  void down_isACommitRemovingTheEnvironmentsDirectory() throws Exception {
    GitOpsEnvironment e = f.runner("alice");
    e.deploy(GitOpsFixture.order("api", "v1"));
    assertThat(e.downPlan()).hasSize(4).allMatch(l -> l.startsWith("file deploy/staging/"));

    e.down();

    List<RevCommit> commits = f.commits();
    assertThat(commits).hasSize(2);
    assertThat(f.tree(commits.getLast(), DIR)).isNull();
    assertThat(commits.getLast().getShortMessage()).isEqualTo("down staging (shop-staging) by alice@host");
    assertThat(e.downPlan()).isEmpty();
  }

  @Test
  void aFileHoldingASecretValue_isNeverCommitted() throws Exception {
    GitOpsEnvironment e = f.runner("alice");
    assertThatThrownBy(() -> e.checkSecrets(java.util.Map.of("api.yaml", "value: " + GitOpsFixture.MARKER)))
        .isInstanceOf(KubernetesException.class).hasMessageContaining("refusing to commit api.yaml")
        .hasMessageNotContaining(GitOpsFixture.MARKER);
    e.checkSecrets(java.util.Map.of("api.yaml", "value: a reference"));
  }

  @Test
  void trailers_readBackAsTheReleaseTheyDescribe() throws Exception {
    GitOpsEnvironment e = f.runner("alice");
    e.deploy(GitOpsFixture.order("web", "v1"));
    e.deploy(GitOpsFixture.order("web", "v2"));
    RevCommit step = f.commits().getLast();
    var entry = GitOpsCommits.parse(step, "staging").orElseThrow();
    assertThat(entry.service()).isEqualTo("web");
    assertThat(entry.revision()).isEqualTo(2);
    assertThat(entry.phase()).isEqualTo(dev.slipway.store.DeploymentPhase.SHIFTING);
    assertThat(entry.step()).isZero();
    assertThat(entry.by()).isEqualTo("alice@host");
    // The digest the release objects carry as slipway.dev/config-digest (hex sha256).
    assertThat(entry.configDigest()).matches("[0-9a-f]{64}");
    assertThat(f.file(step, DIR + "/web.yaml")).contains("slipway.dev/config-digest: " + entry.configDigest());
    // Another environment's commits in the same repository are not this one's history.
    assertThat(GitOpsCommits.parse(step, "production")).isEmpty();
  }

  @Test
  void aMutableTag_isRefused_whereDigestsAreRequired() throws Exception {
    var settings = new dev.slipway.model.ClusterSettings(null, null, f.env.cluster().gitops(), true);
    var env = new dev.slipway.model.EnvironmentSpec("staging", f.env.target(), "shop-staging", null, null, null, settings);
    GitOpsRepo repo = GitOpsRepo.open(f.origin.toString(), "main", tmp.resolve("cache-d"),
        new GitCredentials(tmp.resolve("none")), GitOpsEnvironment.identity("d@host"));
    try (GitOpsEnvironment e = new GitOpsEnvironment(f.app, env, repo, null, "d@host", s -> {})) {
      assertThatThrownBy(() -> e.deploy(GitOpsFixture.order("api", "v2")))
          .isInstanceOfSatisfying(KubernetesException.class, x -> assertThat(x.exitCode()).isEqualTo(2))
          .hasMessageContaining("is not pinned by digest");
      String digest = "ghcr.io/acme/shop-api@sha256:" + "a".repeat(64);
      e.deploy(new DeployOrder("api", null, digest, null, true, null, false));
      assertThat(f.commits().getLast().getShortMessage()).contains(digest);
    }
  }
}
