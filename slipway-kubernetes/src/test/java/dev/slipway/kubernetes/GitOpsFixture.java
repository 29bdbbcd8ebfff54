package dev.slipway.kubernetes;

import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.model.GitOpsSpec;
import dev.slipway.model.ModelLoader;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/** A bare "origin" repository made by the test and the GitOps environments that push to it. */
final class GitOpsFixture implements AutoCloseable {
  static final String MARKER = "gitops-marker-7f3a9c";

  final Path dir;
  final Path origin;
  final Git bare;
  final AppSpec app;
  final EnvironmentSpec env;
  final List<String> progress = new CopyOnWriteArrayList<>();
  private final List<GitOpsEnvironment> opened = new ArrayList<>();

  GitOpsFixture(Path dir) throws Exception {
    this.dir = dir;
    this.origin = dir.resolve("origin.git");
    this.bare = Git.init().setBare(true).setInitialBranch("main").setDirectory(origin.toFile()).call();
    Path model = dir.resolve("slipway.yaml");
    try (var in = GitOpsFixture.class.getResourceAsStream("/gitops/slipway.yaml")) {
      Files.write(model, in.readAllBytes());
    }
    this.app = ModelLoader.load(model, "staging");
    this.env = app.environments().get("staging");
    if (!env.cluster().gitops().equals(new GitOpsSpec(origin.toString(), "main", "deploy/staging"))) {
      throw new AssertionError("the model binds gitops as " + env.cluster().gitops());
    }
  }

  /** A runner with its own clone (cache directory {@code name}), without a cluster to watch. */
  GitOpsEnvironment runner(String name) throws KubernetesException {
    return runner(name, null, progress::add);
  }

  GitOpsEnvironment runner(String name, KubernetesClient client, Consumer<String> out) throws KubernetesException {
    return runner(name, client, out, env);
  }

  /** The environment with {@code prometheus:} at {@code url} (the tests' server has a port known only at run time). */
  EnvironmentSpec withPrometheus(java.net.URI url) {
    var c = env.cluster();
    return new EnvironmentSpec(env.name(), env.target(), env.namespace(), env.secretStore(), env.gateway(), env.router(),
        new dev.slipway.model.ClusterSettings(c.context(), new dev.slipway.model.PrometheusSpec(url), c.gitops(),
            c.requireDigests()));
  }

  GitOpsEnvironment runner(String name, KubernetesClient client, Consumer<String> out, EnvironmentSpec env)
      throws KubernetesException {
    String by = name + "@host";
    GitOpsRepo repo = GitOpsRepo.open(origin.toString(), "main", dir.resolve("cache-" + name), new GitCredentials(
        dir.resolve("no-credentials")), GitOpsEnvironment.identity(by));
    ClusterConnection cluster = client == null ? null
        : ClusterConnection.of(client, "mock", env.namespace(), new ConnectOptions(null, null, by, null));
    GitOpsEnvironment e = new GitOpsEnvironment(app, env, repo, cluster, by, out);
    opened.add(e);
    return e;
  }

  static DeployOrder order(String service, String tag) {
    return new DeployOrder(service, tag, null, null, true, null, false);
  }

  Repository repository() {
    return bare.getRepository();
  }

  /** The branch's commits, oldest first. */
  List<RevCommit> commits() throws IOException {
    List<RevCommit> out = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repository())) {
      ObjectId head = repository().resolve("refs/heads/main");
      if (head == null) {
        return out;
      }
      walk.markStart(walk.parseCommit(head));
      walk.forEach(out::add);
    }
    return out.reversed();
  }

  /** A file at a commit, or null. */
  String file(RevCommit c, String path) throws IOException {
    try (var walk = org.eclipse.jgit.treewalk.TreeWalk.forPath(repository(), path, c.getTree())) {
      return walk == null ? null : new String(repository().open(walk.getObjectId(0)).getBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** The tree id of a directory at a commit (equal ids: byte-identical contents). */
  ObjectId tree(RevCommit c, String path) throws IOException {
    try (var walk = org.eclipse.jgit.treewalk.TreeWalk.forPath(repository(), path, c.getTree())) {
      return walk == null ? null : walk.getObjectId(0);
    }
  }

  @Override
  public void close() {
    opened.forEach(GitOpsEnvironment::close);
    bare.close();
  }
}
