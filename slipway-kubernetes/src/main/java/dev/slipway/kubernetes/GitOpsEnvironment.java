package dev.slipway.kubernetes;

import dev.slipway.kubernetes.GitOpsCommits.Entry;
import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.model.GitOpsSpec;
import dev.slipway.model.ServiceSpec;
import dev.slipway.store.DeploymentPhase;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A {@code kubernetes} environment in GitOps mode ({@code gitops: { repo, branch, path }}): deploy,
 * promote, abort and rollback commit the rendered manifests of the new state to the repository, one
 * commit per change, and Argo CD or Flux applies them; this runner then watches the cluster (when one is
 * configured) until the commit is applied. History and status are read back from the commits.
 */
public final class GitOpsEnvironment implements ClusterEnvironment {
  /** How long to wait for Argo CD or Flux: their default sync interval is 3 minutes. */
  static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(10);

  private final AppSpec app;
  private final EnvironmentSpec env;
  private final String dir;
  private final GitOpsRepo repo;
  private final GitOpsManifests manifests;
  private final ClusterConnection cluster;
  private final String by;
  private final Consumer<String> progress;
  final GitOpsRollout rollout;
  Duration deadline = DEFAULT_DEADLINE;
  /** How often an analysis step's judge looks again. */
  Duration analysisEvery = GitOpsAnalysis.DEFAULT_EVERY;

  /** @param cluster the cluster to watch, or null when none is configured (commands end with the push) */
  GitOpsEnvironment(AppSpec app, EnvironmentSpec env, GitOpsRepo repo, ClusterConnection cluster, String by,
      Consumer<String> progress) {
    this.app = app;
    this.env = env;
    this.dir = directory(env);
    this.repo = repo;
    this.manifests = new GitOpsManifests(app, env, env.namespace() != null ? env.namespace() : app.name());
    this.cluster = cluster;
    this.by = by;
    this.progress = progress;
    this.rollout = new GitOpsRollout(this);
  }

  /**
   * Opens the environment's repository (a cache clone under {@code modelDir/.slipway/gitops/}) and,
   * when a kubeconfig is found, the cluster to watch.
   */
  public static GitOpsEnvironment open(AppSpec app, EnvironmentSpec env, Path modelDir, ConnectOptions options,
      Consumer<String> progress) throws KubernetesException {
    GitOpsSpec spec = env.cluster().gitops();
    if (spec == null || spec.repo() == null || spec.repo().isBlank()) {
      throw new KubernetesException("environment `" + env.name() + "` has no GitOps repository", null,
          env.namespace(), "add `gitops: { repo: URL }` to environments." + env.name(), KubernetesException.BAD_INPUT);
    }
    String by = runner(options.runner());
    Path cache;
    try {
      cache = modelDir != null ? modelDir.resolve(".slipway").resolve("gitops").resolve(cacheName(env, spec.repo()))
          : Files.createTempDirectory("slipway-gitops-");
    } catch (java.io.IOException e) {
      throw new KubernetesException("cannot create a directory for the GitOps clone: " + e.getMessage(), null,
          env.namespace(), null, KubernetesException.FAILED, e);
    }
    // The cluster first: a kubeconfig that names a missing context is refused before anything is cloned.
    ClusterConnection cluster = kubeconfigFound(options) ? ClusterConnection.open(options, app, env) : null;
    try {
      GitOpsRepo repo = GitOpsRepo.open(spec.repo(), branch(env), cache, GitCredentials.fromHome(), identity(by));
      return new GitOpsEnvironment(app, env, repo, cluster, by, progress);
    } catch (KubernetesException | RuntimeException e) {
      if (cluster != null) {
        cluster.close();
      }
      throw e;
    }
  }

  /**
   * Whether kubectl's order finds a cluster to watch ({@code --kubeconfig}, {@code KUBECONFIG},
   * {@code ~/.kube/config}, the in-cluster service account); without one a GitOps command ends with the push.
   */
  static boolean kubeconfigFound(ConnectOptions options) {
    String list = System.getenv("KUBECONFIG");
    return options.kubeconfig() != null || (list != null && !list.isBlank())
        || Files.isRegularFile(Path.of(System.getProperty("user.home"), ".kube", "config"))
        || (System.getenv("KUBERNETES_SERVICE_HOST") != null
            && Files.isRegularFile(Path.of(ClusterConnection.SERVICE_ACCOUNT, "token")));
  }

  static String branch(EnvironmentSpec env) {
    String b = env.cluster().gitops().branch();
    return b == null || b.isBlank() ? "main" : b;
  }

  /** The environment's directory in the repository, without slashes at either end ({@code deploy/staging}). */
  static String directory(EnvironmentSpec env) {
    String p = env.cluster().gitops().path();
    p = p == null || p.isBlank() ? "deploy/" + env.name() : p.strip();
    return p.replaceAll("^/+|/+$", "");
  }

  private static String cacheName(EnvironmentSpec env, String url) {
    return env.name() + "-" + Integer.toHexString(url.hashCode());
  }

  /** Who runs the command, as commit messages name them: {@code alice@laptop} (a runner's pid left out). */
  static String runner(String runner) {
    if (runner != null && !runner.isBlank()) {
      return runner.replaceAll("\\s*\\(.*\\)\\s*$", "").strip();
    }
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "localhost";
    }
    return System.getProperty("user.name") + "@" + host;
  }

  /** The commits' author: the user's Git identity when configured, else the runner. */
  static PersonIdent identity(String by) {
    try {
      var config = org.eclipse.jgit.util.SystemReader.getInstance().getUserConfig();
      String name = config.getString("user", null, "name");
      String email = config.getString("user", null, "email");
      if (name != null && email != null) {
        return new PersonIdent(name, email);
      }
    } catch (Exception e) {
      // An unreadable ~/.gitconfig: commits are authored by the runner instead.
    }
    return new PersonIdent(by, by.contains("@") ? by : by + "@localhost");
  }

  @Override
  public DeployResult deploy(DeployOrder order) throws KubernetesException {
    ServiceSpec s = service(order.service());
    if (order.resume()) {
      return rollout.resume(order.service(), false, order.waitForEnd());
    }
    String image = Images.resolve(s, order.imageTag(), order.image(), env.cluster().requireDigests());
    String strategy = order.strategy() != null ? order.strategy() : s.strategy().id();
    return rollout.deploy(s, image, strategy, order.waitForEnd());
  }

  @Override
  public DeployResult promote(String service, boolean waitForEnd) throws KubernetesException {
    service(service);
    return rollout.resume(service, true, waitForEnd);
  }

  @Override
  public DeployResult abort(String service) throws KubernetesException {
    service(service);
    return rollout.abort(service, "aborted by " + by);
  }

  @Override
  public DeployResult rollback(String service, Integer toRevision) throws KubernetesException {
    service(service);
    return rollout.rollback(service, toRevision);
  }

  @Override
  public ClusterStatus status() throws KubernetesException {
    RevCommit head = repo.fetch();
    List<RevCommit> log = repo.log(head);
    Map<String, String> files = repo.files(head, dir);
    List<ClusterStatus.Service> rows = new ArrayList<>();
    for (ServiceSpec s : app.services().values()) {
      List<ClusterRelease> releases = GitOpsCommits.releases(log, env.name(), s.name());
      ClusterRelease live = releases.stream().filter(r -> "live".equals(r.state())).findFirst().orElse(null);
      ClusterRelease moving = releases.stream().filter(r -> r.phase() != DeploymentPhase.DONE).findFirst().orElse(null);
      String file = files.get(GitOpsManifests.fileOf(s.name()));
      GitOpsManifests.Release serving = file == null ? null : GitOpsManifests.releases(file, s.name()).stream()
          .filter(r -> moving == null || !r.id().equals(moving.id())).findFirst().orElse(null);
      int desired = s.replicas();
      int ready = 0;
      if (cluster != null && serving != null) {
        String name = manifests.workloadName(s.name(), serving.id());
        try {
          var d = cluster.client().apps().deployments().inNamespace(namespace()).withName(name).get();
          if (d != null && d.getStatus() != null) {
            ready = d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
            desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
          }
        } catch (KubernetesClientException e) {
          throw cluster.error(e, "get", "deployments");
        }
      }
      rows.add(new ClusterStatus.Service(s.name(), live == null ? null : live.id(),
          live != null ? live.image() : serving == null ? null : serving.image(), ready, desired,
          moving == null ? null : moving.id(), moving == null ? null : phase(moving.phase()),
          moving == null ? null : GitOpsRollout.traffic(file, s.name()), moving == null ? null : moving.by()));
    }
    return new ClusterStatus(cluster == null ? null : cluster.context(), namespace(),
        cluster != null ? cluster.server() : repo.url() + " (" + repo.branch() + ")", rows);
  }

  @Override
  public List<ClusterRelease> history(String service) throws KubernetesException {
    service(service);
    return GitOpsCommits.releases(repo.log(repo.fetch()), env.name(), service);
  }

  @Override
  public void logs(String service, boolean follow, int tailLines, Consumer<String> out) throws KubernetesException {
    service(service);
    if (cluster == null) {
      throw new KubernetesException("logs need the cluster, and no kubeconfig was found", null, namespace(),
          "pass --kubeconfig or set KUBECONFIG", KubernetesException.BAD_INPUT);
    }
    GitOpsLogs.print(cluster, service, follow, tailLines, out);
  }

  @Override
  public List<String> downPlan() throws KubernetesException {
    Map<String, String> files = repo.files(repo.fetch(), dir);
    List<String> out = new ArrayList<>();
    files.forEach((name, text) -> out.add("file " + dir + "/" + name + " in " + repo.url() + " (" + repo.branch()
        + "), which Argo CD or Flux prunes"));
    return out;
  }

  @Override
  public void down() throws KubernetesException {
    RevCommit made = repo.commit(head -> repo.files(head, dir).isEmpty() ? null
        : new GitOpsRepo.Update(Map.of(), Set.of(dir + "/"), "down " + env.name() + " (" + namespace() + ") by " + by
            + "\n\nSlipway-Environment: " + env.name() + "\nSlipway-By: " + by + "\n"));
    progress.accept(made == null ? "nothing to delete in " + dir
        : "✓ pushed " + made.abbreviate(7).name() + ": removed " + dir + " (Argo CD or Flux prunes what it applied)");
  }

  @Override
  public void close() {
    repo.close();
    if (cluster != null) {
      cluster.close();
    }
  }

  // What GitOpsRollout shares with this class.

  AppSpec app() {
    return app;
  }

  EnvironmentSpec env() {
    return env;
  }

  String dir() {
    return dir;
  }

  GitOpsRepo repo() {
    return repo;
  }

  GitOpsManifests manifests() {
    return manifests;
  }

  String by() {
    return by;
  }

  Consumer<String> progress() {
    return progress;
  }

  /** The watch of the cluster, or null when none is configured (commands end with the push). */
  GitOpsWatch watch() {
    return cluster == null ? null : new GitOpsWatch(cluster, env.name());
  }

  /** The judge of analysis steps, on the environment's Prometheus (checked by {@link GitOpsAnalysis#require}). */
  GitOpsAnalysis analysis() {
    GitOpsAnalysis a = new GitOpsAnalysis(env.cluster().prometheus(), namespace(), progress);
    a.every = analysisEvery;
    return a;
  }

  /**
   * The images of an environment's first deploy: {@code image} for {@code service}, the model's for the
   * others (as direct mode's first deploy; only the ordered image is held to {@code requireDigests}).
   */
  Map<String, String> images(String service, String image) throws KubernetesException {
    Map<String, String> out = new LinkedHashMap<>();
    for (ServiceSpec s : app.services().values()) {
      out.put(s.name(), s.name().equals(service) ? image : Images.resolve(s, null, null, false));
    }
    return out;
  }

  /** The release ids of an environment's first deploy: {@code id} for {@code service}, r1 for the others. */
  Map<String, String> releaseIds(String service, String id) {
    Map<String, String> out = new LinkedHashMap<>();
    app.services().keySet().forEach(s -> out.put(s, s.equals(service) ? id : "r1"));
    return out;
  }

  String namespace() {
    return env.namespace() != null ? env.namespace() : app.name();
  }

  private static String phase(DeploymentPhase p) {
    return p.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  ServiceSpec service(String name) throws KubernetesException {
    ServiceSpec s = app.services().get(name);
    if (s == null) {
      throw new KubernetesException("there is no service `" + name + "` in " + app.file(), null, namespace(),
          "the model's services are: " + String.join(", ", app.services().keySet()), KubernetesException.BAD_INPUT);
    }
    return s;
  }

  /** The commit's facts for the message's trailers. */
  Entry entry(String service, int revision, String image, String strategy, DeploymentPhase phase, String state,
      int step, String reason, String digest) {
    return new Entry(env.name(), service, revision, image, strategy, phase, state, step, reason, by, digest, null, null,
        Map.of());
  }

  /** Refuses to commit a file holding one of the model's secret values (the generator writes references only). */
  void checkSecrets(Map<String, String> writes) throws KubernetesException {
    Set<String> secrets = manifests.secretValues();
    for (Map.Entry<String, String> w : writes.entrySet()) {
      for (String secret : secrets) {
        if (w.getValue().contains(secret)) {
          throw new KubernetesException("refusing to commit " + w.getKey() + ": it would hold a secret value in clear text",
              null, namespace(), "report this as a bug; the generated objects must reference the Secret",
              KubernetesException.FAILED);
        }
      }
    }
  }

  /** Writes under the environment's directory, by file name. */
  Map<String, String> under(Map<String, String> files) {
    Map<String, String> out = new LinkedHashMap<>();
    files.forEach((name, text) -> out.put(dir + "/" + name, text));
    return out;
  }
}
