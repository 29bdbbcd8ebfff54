package dev.slipway.server.team;

import dev.slipway.api.team.RunView;
import dev.slipway.kubernetes.ClusterEnvironment;
import dev.slipway.kubernetes.ClusterEnvironments;
import dev.slipway.kubernetes.ClusterRelease;
import dev.slipway.kubernetes.ConnectOptions;
import dev.slipway.kubernetes.DeployOrder;
import dev.slipway.kubernetes.DeployResult;
import dev.slipway.kubernetes.KubernetesException;
import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.model.SecretNames;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs on a kubernetes environment in this process, with the CLI's runner (decision 0018, long-lived here):
 * the cluster keeps the rollout's state and the service's Lease; afterwards the server records the
 * service's release facts (what promotion's "verified" is judged on).
 */
final class ClusterRunActions implements RunActions {
  private static final Set<String> ENDED_WELL = Set.of("live", "superseded");
  private static final String MASK = "****";

  private final TeamModel model;
  private final TeamSettings settings;
  private final RunLedger ledger;
  private final Clock clock;
  private final String runner;

  ClusterRunActions(TeamModel model, TeamSettings settings, RunLedger ledger, Clock clock) {
    this.model = model;
    this.settings = settings;
    this.ledger = ledger;
    this.clock = clock;
    this.runner = "slipway-server@" + host() + " (pid " + ProcessHandle.current().pid() + ")";
  }

  @Override
  public Outcome perform(RunView run, RunRequest request, boolean recovering, Consumer<String> progress) {
    AppSpec app = model.forEnvironment(run.environment());
    EnvironmentSpec env = app.environments().get(run.environment());
    ConnectOptions options = new ConnectOptions(settings.kubeconfig(), settings.context(), runner, settings.leaseTtl());
    ClusterRelease before = null;
    try (ClusterEnvironment cluster = ClusterEnvironments.open(app, env, model.dir(), options, progress)) {
      List<ClusterRelease> history = cluster.history(run.service());
      before = history.isEmpty() ? null : history.get(0);
      Outcome outcome = recovering ? resume(cluster, run, before) : act(cluster, run, request, before);
      record(cluster, app, run, before, outcome);
      return outcome;
    } catch (KubernetesException e) {
      String message = e.getMessage() + (e.fix() == null ? "" : "; " + e.fix());
      return new Outcome("failed", message, null, null, id(before), image(before));
    }
  }

  private Outcome act(ClusterEnvironment cluster, RunView run, RunRequest r, ClusterRelease before)
      throws KubernetesException {
    DeployResult result = switch (r.kind()) {
      case RunRequest.DEPLOY -> cluster.deploy(new DeployOrder(r.service(), r.imageTag(), r.image(), r.strategy(), true,
          settings.queue(), false));
      case RunRequest.ROLLBACK -> cluster.rollback(r.service(), revision(r.toRelease()));
      case RunRequest.ABORT -> cluster.abort(r.service());
      case RunRequest.PROMOTE_STEP -> cluster.promote(r.service(), true);
      default -> throw new IllegalArgumentException("unknown run kind " + r.kind());
    };
    String state = result.ok() ? "succeeded"
        : "rolled-back".equals(result.release().state()) ? "rolled-back" : "failed";
    return outcome(state, result, before);
  }

  /**
   * After a crash: {@code deploy --resume} (a stored rollback is finished, a rollout continued or rolled
   * back, after the dead server's Lease expires); the run's outcome is what its service's record then says.
   */
  private Outcome resume(ClusterEnvironment cluster, RunView run, ClusterRelease before) throws KubernetesException {
    boolean unfinished = before != null && before.phase() != dev.slipway.store.DeploymentPhase.DONE;
    if ("pending".equals(run.state()) && !unfinished) {
      return new Outcome("failed", "it had not started: nothing was changed; start it again", null, null, id(before),
          image(before));
    }
    Duration queue = settings.leaseTtl().multipliedBy(2).compareTo(settings.queue()) > 0
        ? settings.leaseTtl().multipliedBy(2) : settings.queue();
    DeployResult result = cluster.deploy(new DeployOrder(run.service(), null, null, null, true, queue, true));
    ClusterRelease now = result.release();
    String state;
    if (RunRequest.DEPLOY.equals(run.kind()) || RunRequest.PROMOTE_STEP.equals(run.kind())) {
      state = "live".equals(now.state()) ? "succeeded" : "rolled-back".equals(now.state()) ? "rolled-back" : "failed";
    } else {
      state = "in-progress".equals(now.state()) ? "failed" : "succeeded";
    }
    return outcome(state, result, before);
  }

  private Outcome outcome(String state, DeployResult result, ClusterRelease before) {
    ClusterRelease after = result.release();
    return new Outcome(state, result.message(), id(after), image(after), id(before), image(before));
  }

  /** Records every service's recent releases: a first deploy installs them all, and facts may have moved. */
  private void record(ClusterEnvironment cluster, AppSpec app, RunView run, ClusterRelease before, Outcome outcome)
      throws KubernetesException {
    for (String service : app.services().keySet()) {
      List<ClusterRelease> history = cluster.history(service);
      // The store makes the release recorded last its service's current one: the one serving (live) goes
      // last, so a failed candidate after it does not hide it; the others oldest first.
      List<ClusterRelease> recent = new java.util.ArrayList<>(history.subList(0, Math.min(history.size(), 5)));
      recent.sort(java.util.Comparator.comparing((ClusterRelease r) -> "live".equals(r.state()))
          .thenComparingInt(ClusterRelease::revision));
      for (ClusterRelease r : recent) {
        boolean ours = service.equals(run.service()) && (before == null || r.revision() > before.revision());
        ledger.recordRelease(facts(app, run, r, ours ? run.id() : 0));
      }
    }
    boolean rolledBack = RunRequest.ROLLBACK.equals(run.kind()) && "succeeded".equals(outcome.state());
    if (rolledBack && before != null && !before.id().equals(outcome.release())) {
      // The release that served before a rollback is no longer verified from now on, whatever its record says.
      ledger.markRolledBack(run.environment(), run.service(), before.id(), clock.instant(), null);
    }
  }

  /** The service's configuration as the model has it there: templates, never resolved; secret ones masked. */
  static String configJson(AppSpec app, String service) {
    java.util.Map<String, String> config = new java.util.TreeMap<>();
    // A secret reference, a literal under a secret-looking name, a password inside a URL: never stored (decision 0017).
    app.service(service).env().forEach((k, t) -> config.put(k, t.sensitive() || SecretNames.looksSecret(k) ? MASK
        : SecretNames.maskUrlPassword(t.raw())));
    try {
      return dev.slipway.server.Json.MAPPER.writeValueAsString(config);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serialises", e);
    }
  }

  private RunLedger.ReleaseFacts facts(AppSpec app, RunView run, ClusterRelease r, long runId) {
    boolean wentLive = ENDED_WELL.contains(r.state()) && r.finished() != null;
    String analysis = r.measurements().isEmpty() ? "none" : ENDED_WELL.contains(r.state()) ? "passed" : "failed";
    java.time.Instant rolledBack = "rolled-back".equals(r.state()) ? r.finished() : null;
    // Only the release this run made carries today's model configuration; older ones keep what was recorded.
    return new RunLedger.ReleaseFacts(run.environment(), r.service(), r.id(), r.image(), r.configDigest(),
        runId != 0 ? configJson(app, r.service()) : null, r.state(),
        wentLive ? r.finished() : null, analysis, rolledBack, runId);
  }

  /** {@code r2}, {@code api-r2} or {@code 2} → 2; null → the previous release. */
  static Integer revision(String release) {
    if (release == null || release.isBlank()) {
      return null;
    }
    String digits = release.substring(release.lastIndexOf('r') + 1);
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw dev.slipway.server.ApiError.badRequest("`" + release + "` is not a release id; use one from slipway "
          + "history SERVICE --env E, e.g. r2");
    }
  }

  private static String id(ClusterRelease r) {
    return r == null ? null : r.id();
  }

  private static String image(ClusterRelease r) {
    return r == null ? null : r.image();
  }

  private static String host() {
    String h = System.getenv("HOSTNAME");
    if (h != null && !h.isBlank()) {
      return h;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }
}
