package dev.slipway.kubernetes;

import dev.slipway.analysis.Verdict;
import dev.slipway.kubernetes.GitOpsCommits.Entry;
import dev.slipway.kubernetes.GitOpsManifests.Release;
import dev.slipway.model.CanaryStep;
import dev.slipway.model.ServiceSpec;
import dev.slipway.model.StrategySpec;
import dev.slipway.store.DeploymentPhase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * The releases of a GitOps environment as commits: a rolling release is one commit; a blue-green one is
 * a commit adding the new set beside the old (the preview) and, once it is ready, a commit switching the
 * Service to it; a canary is one commit per traffic step ({@code setWeight}), its analysis steps judged
 * between them, then one that promotes it. A release whose watch fails, or whose analysis fails, is rolled
 * back by a new commit restoring the service's file from before it, recorded {@code rolled-back} with the
 * reason (and what analysis measured). Each change is computed on top of the branch's head, so a
 * rejected push is simply computed again (see {@link GitOpsRepo#commit}).
 */
final class GitOpsRollout {
  private final GitOpsEnvironment e;

  GitOpsRollout(GitOpsEnvironment e) {
    this.e = e;
  }

  /** What a change reads from the head: the branch's log, the environment's files, the service's releases. */
  record State(List<RevCommit> log, Map<String, String> files, List<Entry> entries) {
    Optional<Entry> latest() {
      return entries.stream().findFirst();
    }

    String file(String service) {
      return files.get(GitOpsManifests.fileOf(service));
    }

    /** The next revision: past every recorded release and every release id the service's file runs. */
    int next(String service) {
      int max = entries.stream().mapToInt(Entry::revision).max().orElse(0);
      for (Release r : GitOpsManifests.releases(file(service), service)) {
        if (r.id() != null && r.id().matches("r[0-9]{1,9}")) {
          max = Math.max(max, Integer.parseInt(r.id().substring(1)));
        }
      }
      return max + 1;
    }

    /** The release the service's file serves besides {@code candidate} (or its only one). */
    Release stable(String service, String candidate) {
      return GitOpsManifests.releases(file(service), service).stream().filter(r -> !r.id().equals(candidate))
          .findFirst().orElse(null);
    }
  }

  /** A pushed commit and, when it was watched, how the watch ended. */
  record Watched(DeployResult result, GitOpsWatch.Outcome outcome) {
    boolean failed() {
      return outcome != null && !outcome.ok();
    }
  }

  State state(RevCommit head, String service) throws KubernetesException {
    List<RevCommit> log = e.repo().log(head);
    return new State(log, e.repo().files(head, e.dir()), GitOpsCommits.entries(log, e.env().name(), service));
  }

  DeployResult deploy(ServiceSpec s, String image, String strategy, boolean wait) throws KubernetesException {
    boolean running = state(e.repo().fetch(), s.name()).file(s.name()) != null;
    if ("canary".equals(strategy) && running && steps(s).stream().anyMatch(GitOpsRollout::shifts)) {
      return steps(s, 0, image, 0, false, wait, Map.of());
    }
    if ("blue-green".equals(strategy) && running && s.strategy() instanceof StrategySpec.BlueGreen) {
      return preview(s, image, wait);
    }
    Entry[] made = new Entry[1];
    RevCommit c = e.repo().commit(head -> {
      State st = state(head, s.name());
      refuseInProgress(st, s.name());
      boolean install = st.files().isEmpty();
      String id = "r" + st.next(s.name());
      Map<String, String> writes = install ? e.manifests().install(e.images(s.name(), image), e.releaseIds(s.name(), id))
          : Map.of(GitOpsManifests.SHARED, e.manifests().shared(), GitOpsManifests.fileOf(s.name()),
              e.manifests().service(s.name(), new Release(id, image), null, 0));
      made[0] = e.entry(s.name(), Integer.parseInt(id.substring(1)), image, install ? "install" : strategy,
          DeploymentPhase.DONE, "live", -1, "deploy", e.manifests().configDigest(s.name()));
      return update(writes, "deploy " + s.name() + " " + id + " (image " + image + ") by " + e.by(), made[0]);
    });
    Watched w = finish(made[0], c, new Release(made[0].id(), image), wait, "is live");
    return w.failed() ? rollBack(s.name(), made[0].revision(), "rollback", w.outcome().message(), Map.of(), wait)
        : w.result();
  }

  /** Blue-green: the new set beside the old one (the Service still on the old), then, once ready, the switch. */
  private DeployResult preview(ServiceSpec s, String image, boolean wait) throws KubernetesException {
    Entry[] made = new Entry[1];
    String[] stable = new String[1];
    RevCommit c = e.repo().commit(head -> {
      State st = state(head, s.name());
      refuseInProgress(st, s.name());
      String id = "r" + st.next(s.name());
      Release old = st.stable(s.name(), id);
      stable[0] = old.id();
      String text = e.manifests().service(s.name(), old, new Release(id, image), 0);
      made[0] = e.entry(s.name(), Integer.parseInt(id.substring(1)), image, "blue-green", DeploymentPhase.STARTING,
          "in-progress", 0, "deploy", e.manifests().configDigest(s.name()));
      return update(Map.of(GitOpsManifests.fileOf(s.name()), text), "deploy " + s.name() + " " + id
          + ": preview beside " + old.id() + " (image " + image + ") by " + e.by(), made[0]);
    });
    Watched w = finish(made[0], c, new Release(made[0].id(), image), wait, "is ready beside " + stable[0]);
    if (w.failed()) {
      return rollBack(s.name(), made[0].revision(), "rollback", w.outcome().message(), Map.of(), wait);
    }
    if (!wait) {
      return resumable(w.result(), s.name());
    }
    return switchOver(s, made[0].revision(), image, wait);
  }

  /** The blue-green switch: the Service to the new release, the old set removed (Argo CD or Flux prunes it). */
  private DeployResult switchOver(ServiceSpec s, int revision, String image, boolean wait) throws KubernetesException {
    Entry[] made = new Entry[1];
    String id = "r" + revision;
    RevCommit c = e.repo().commit(head -> {
      State st = state(head, s.name());
      requireRollingOut(st, s.name(), revision);
      Release old = st.stable(s.name(), id);
      made[0] = e.entry(s.name(), revision, image, "blue-green", DeploymentPhase.DONE, "live", 1, "deploy",
          e.manifests().configDigest(s.name()));
      return update(Map.of(GitOpsManifests.SHARED, e.manifests().shared(), GitOpsManifests.fileOf(s.name()),
          e.manifests().service(s.name(), new Release(id, image), null, 0)), "deploy " + s.name() + " " + id
          + ": switch from " + (old == null ? "none" : old.id()) + " (image " + image + ") by " + e.by(), made[0]);
    });
    return finish(made[0], c, new Release(id, image), wait, "is live").result();
  }

  /**
   * Runs the canary's model steps from {@code from}: a commit per traffic step, timed pauses waited
   * here, analysis judged here, a pause without a duration ends the command (unless {@code promoted} and
   * it is the step to go on from), then the promoting commit. {@code revision} 0 makes a new release with
   * the first commit.
   */
  DeployResult steps(ServiceSpec s, int revision, String image, int from, boolean promoted, boolean wait,
      Map<String, Double> measuredBefore) throws KubernetesException {
    List<CanaryStep> steps = steps(s);
    if (steps.subList(Math.min(from, steps.size()), steps.size()).stream().anyMatch(x -> x instanceof CanaryStep.Analysis)) {
      GitOpsAnalysis.require(e.env(), e.namespace(), s.name(), e.app().file().getFileName().toString());
    }
    int[] rev = {revision};
    Map<String, Double> measured = measuredBefore;
    boolean skipPause = promoted && from < steps.size() && steps.get(from) instanceof CanaryStep.Pause p0
        && p0.untilPromoted();
    for (int i = from; i < steps.size(); i++) {
      CanaryStep step = steps.get(i);
      int index = i;
      Map<String, Double> values = measured;
      switch (step) {
        case CanaryStep.SetWeight w when shifts(w) -> {
          Entry[] made = new Entry[1];
          RevCommit c = e.repo().commit(head -> {
            State st = state(head, s.name());
            if (rev[0] == 0) {
              refuseInProgress(st, s.name());
              rev[0] = st.next(s.name());
            } else {
              requireRollingOut(st, s.name(), rev[0]);
            }
            Release candidate = new Release("r" + rev[0], image);
            String text = e.manifests().service(s.name(), st.stable(s.name(), candidate.id()), candidate, w.weight());
            made[0] = e.entry(s.name(), rev[0], image, "canary", DeploymentPhase.SHIFTING, "in-progress", index,
                "deploy", e.manifests().configDigest(s.name())).measured(values);
            return update(Map.of(GitOpsManifests.fileOf(s.name()), text), "deploy " + s.name() + " " + made[0].id()
                + " step " + (index + 1) + "/" + steps.size() + ": " + w.weight() + "% to canary (image " + image + ") by "
                + e.by(), made[0]);
          });
          Watched r = finish(made[0], c, new Release(made[0].id(), image), wait, "has " + w.weight() + "% of traffic");
          if (r.failed()) {
            return rollBack(s.name(), rev[0], "rollback", "canary never became ready: " + r.outcome().message(),
                measured, wait);
          }
          if (!wait) {
            return resumable(r.result(), s.name());
          }
        }
        case CanaryStep.Pause p when p.untilPromoted() -> {
          if (!skipPause) {
            String id = "r" + rev[0];
            e.progress().accept("⏸ " + s.name() + " " + id + " paused: `slipway promote " + s.name() + " --env "
                + e.env().name() + "` goes on");
            return new DeployResult(release(s.name(), rev[0]), true, s.name() + " " + id + " paused at step "
                + (index + 1) + " until promoted");
          }
          skipPause = false;
        }
        case CanaryStep.Pause p -> sleep(p.duration());
        case CanaryStep.Analysis a when rev[0] != 0 -> {
          String candidate = "r" + rev[0];
          Release stable = state(e.repo().fetch(), s.name()).stable(s.name(), candidate);
          GitOpsAnalysis.Result r = e.analysis().judge(s.name(), stable.id(), candidate, a);
          measured = r.measurements();
          if (r.verdict() instanceof Verdict.Fail f) {
            return rollBack(s.name(), rev[0], "rollback", "analysis failed: " + f.reason(), measured, wait);
          }
          if (r.verdict() instanceof Verdict.Inconclusive x) {
            return inconclusive(s.name(), rev[0], index, x.reason(), measured);
          }
        }
        default -> { }
      }
    }
    if (rev[0] == 0) {
      return deploy(s, image, "rolling", wait);
    }
    Entry[] made = new Entry[1];
    boolean fromPromote = promoted;
    Map<String, Double> values = measured;
    RevCommit c = e.repo().commit(head -> {
      State st = state(head, s.name());
      requireRollingOut(st, s.name(), rev[0]);
      String text = e.manifests().service(s.name(), new Release("r" + rev[0], image), null, 0);
      made[0] = e.entry(s.name(), rev[0], image, "canary", DeploymentPhase.DONE, "live", steps.size(),
          fromPromote ? "promote" : "deploy", e.manifests().configDigest(s.name())).measured(values);
      return update(Map.of(GitOpsManifests.SHARED, e.manifests().shared(), GitOpsManifests.fileOf(s.name()), text),
          (fromPromote ? "promote " : "deploy ") + s.name() + " " + made[0].id() + ": all traffic (image " + image
              + ") by " + e.by(), made[0]);
    });
    return finish(made[0], c, new Release(made[0].id(), image), wait, "is live").result();
  }

  /** An analysis still inconclusive at its timeout: a commit changing no file records the pause, for a person. */
  private DeployResult inconclusive(String service, int revision, int index, String reason, Map<String, Double> measured)
      throws KubernetesException {
    Entry[] made = new Entry[1];
    RevCommit c = e.repo().commit(head -> {
      State st = state(head, service);
      requireRollingOut(st, service, revision);
      Entry latest = st.latest().orElseThrow();
      made[0] = e.entry(service, revision, latest.image(), latest.strategy(), DeploymentPhase.PAUSING, "in-progress",
          index, reason, latest.configDigest()).measured(measured);
      return update(Map.of(), "pause " + service + " " + latest.id() + " at step " + (index + 1)
          + ": analysis inconclusive by " + e.by(), made[0]);
    });
    e.progress().accept("⏸ pushed " + c.abbreviate(7).name() + ": " + c.getShortMessage());
    String env = " --env " + e.env().name();
    return new DeployResult(release(service, revision), true, service + " r" + revision + " paused: " + reason
        + "; `slipway promote " + service + env + "` goes on, `slipway abort " + service + env + "` rolls back");
  }

  /** Goes on with the service's rollout from the step after its last commit ({@code promote}, {@code --resume}). */
  DeployResult resume(String service, boolean promoted, boolean wait) throws KubernetesException {
    Entry latest = state(e.repo().fetch(), service).latest().filter(x -> x.phase() != DeploymentPhase.DONE)
        .orElseThrow(() -> new KubernetesException(service + " has no rollout in progress on " + e.env().name(), null,
            e.namespace(), "`slipway history " + service + " --env " + e.env().name() + "` shows its releases",
            KubernetesException.BAD_INPUT));
    if ("blue-green".equals(latest.strategy())) {
      return switchOver(e.service(service), latest.revision(), latest.image(), wait);
    }
    return steps(e.service(service), latest.revision(), latest.image(), latest.step() + 1, promoted, wait,
        latest.measurements());
  }

  /** {@code abort}: one commit putting the service's file back as it was before the rollout in progress. */
  DeployResult abort(String service, String reason) throws KubernetesException {
    Entry latest = state(e.repo().fetch(), service).latest().filter(x -> x.phase() != DeploymentPhase.DONE)
        .orElseThrow(() -> new KubernetesException(service + " has no rollout in progress on " + e.env().name()
            + " to abort", null, e.namespace(), null, KubernetesException.BAD_INPUT));
    return rollBack(service, latest.revision(), "abort", reason, latest.measurements(), true);
  }

  /**
   * A new commit restoring {@code service}'s file from before release {@code revision}'s first commit
   * (traffic back to the earlier release in that one commit), the release recorded {@code rolled-back} with
   * {@code reason} and {@code measured}; a release with nothing before it is recorded {@code failed} by a
   * commit changing no file. Not ok: the release did not go live.
   */
  private DeployResult rollBack(String service, int revision, String verb, String reason, Map<String, Double> measured,
      boolean wait) throws KubernetesException {
    Entry[] made = new Entry[1];
    Release[] restored = new Release[1];
    RevCommit c = e.repo().commit(head -> {
      State st = state(head, service);
      Entry latest = st.latest().filter(x -> x.revision() == revision).orElseThrow(() -> new KubernetesException(
          service + " r" + revision + " is no longer the latest release on " + e.env().name() + "; not rolling it back",
          null, e.namespace(), "`slipway history " + service + " --env " + e.env().name() + "` shows what happened",
          KubernetesException.FAILED));
      String before = fileBefore(st.log(), service, revision);
      restored[0] = before == null ? null : GitOpsManifests.releases(before, service).stream().findFirst().orElse(null);
      made[0] = e.entry(service, revision, latest.image(), latest.strategy(), DeploymentPhase.DONE,
          before == null ? "failed" : "rolled-back", latest.step(), reason, latest.configDigest()).measured(measured);
      return update(before == null ? Map.of() : Map.of(GitOpsManifests.fileOf(service), before), verb + " " + service
          + " " + latest.id() + " (image " + latest.image() + "): " + (restored[0] == null ? "nothing to restore"
          : "traffic back to " + restored[0].id()) + " by " + e.by(), made[0]);
    });
    e.progress().accept("↩ " + service + " r" + revision + ": " + reason);
    String head = service + " r" + revision + (restored[0] == null ? " failed: " : " rolled back: ") + reason;
    if (restored[0] == null) {
      e.progress().accept("✓ pushed " + c.abbreviate(7).name() + " to " + e.repo().branch() + ": " + c.getShortMessage());
      return new DeployResult(release(service, revision), false, head);
    }
    Watched w = finish(made[0], c, restored[0], wait, "restored");
    String back = w.outcome() == null ? "" : w.outcome().ok() ? "; " + restored[0].id() + " serves again"
        : "; " + restored[0].id() + " restored in Git but " + w.outcome().message();
    // An abort asked for is done once the earlier release serves again; any other rollback means the release failed.
    boolean ok = "abort".equals(verb) && (w.outcome() == null || w.outcome().ok());
    return new DeployResult(w.result().release(), ok, head + back);
  }

  /** {@code rollback [--to]}: see {@link GitOpsRestore}. */
  DeployResult rollback(String service, Integer toRevision) throws KubernetesException {
    return new GitOpsRestore(e, this).rollback(service, toRevision);
  }

  /** What {@code status} shows of a rollout's traffic, read from the committed file; null when not split. */
  static String traffic(String file, String service) {
    TrafficSplit.Applied a = GitOpsManifests.traffic(file, service);
    return a == null ? null : a.describe() + (a.coarse() ? "" : " (" + a.mechanism() + ")");
  }

  /** The service's file at the parent of release {@code revision}'s first commit, or null when it had none. */
  private String fileBefore(List<RevCommit> log, String service, int revision) throws KubernetesException {
    RevCommit first = null;
    for (RevCommit c : log) {
      if (GitOpsCommits.parse(c, e.env().name()).filter(x -> x.service().equals(service) && x.revision() == revision)
          .isPresent()) {
        first = c;
      }
    }
    if (first == null || first.getParentCount() == 0) {
      return null;
    }
    for (RevCommit c : log) {
      if (c.equals(first.getParent(0))) {
        return e.repo().files(c, e.dir()).get(GitOpsManifests.fileOf(service));
      }
    }
    return null;
  }

  private ClusterRelease release(String service, int revision) throws KubernetesException {
    return GitOpsCommits.releases(e.repo().log(e.repo().fetch()), e.env().name(), service).stream()
        .filter(x -> x.revision() == revision).findFirst().orElse(null);
  }

  private DeployResult resumable(DeployResult r, String service) {
    return new DeployResult(r.release(), true, r.message() + "; `slipway deploy " + service + " --env "
        + e.env().name() + " --resume` goes on");
  }

  GitOpsRepo.Update update(Map<String, String> files, String subject, Entry entry) throws KubernetesException {
    e.checkSecrets(files);
    return new GitOpsRepo.Update(e.under(new LinkedHashMap<>(files)), Set.of(), GitOpsCommits.message(subject, entry));
  }

  /** Reports the push, then (waiting, with a cluster) watches Argo CD or Flux apply {@code release}'s Deployment. */
  Watched finish(Entry entry, RevCommit c, Release release, boolean wait, String what) throws KubernetesException {
    ClusterRelease record = GitOpsCommits.releases(List.of(c), e.env().name(), entry.service()).getFirst();
    String head = entry.service() + " " + entry.id();
    e.progress().accept("✓ pushed " + c.abbreviate(7).name() + " to " + e.repo().branch() + ": " + c.getShortMessage());
    GitOpsWatch watch = e.watch();
    if (!wait || watch == null) {
      return new Watched(new DeployResult(record, true, head + " committed as " + c.abbreviate(7).name()
          + (watch == null ? " (no cluster configured to watch it apply)" : "")), null);
    }
    String deployment = e.manifests().workloadName(entry.service(), release.id());
    e.progress().accept("… waiting for Argo CD or Flux to apply " + c.abbreviate(7).name() + " (Deployment " + deployment + ")");
    GitOpsWatch.Outcome o = watch.await(deployment, entry.service(), release.id(), release.image(), e.deadline);
    e.progress().accept((o.ok() ? "✓ " : "✗ ") + o.message());
    return new Watched(new DeployResult(record, o.ok(), o.ok() ? head + " " + what + " (" + c.abbreviate(7).name()
        + " applied)" : head + " committed as " + c.abbreviate(7).name() + " but " + o.message()), o);
  }

  private void refuseInProgress(State st, String service) throws KubernetesException {
    Optional<Entry> latest = st.latest().filter(x -> x.phase() != DeploymentPhase.DONE);
    if (latest.isPresent()) {
      Entry l = latest.get();
      String env = " --env " + e.env().name();
      throw new KubernetesException(service + " " + l.id() + " is rolling out on " + e.env().name() + " (" + l.strategy()
          + ", step " + (l.step() + 1) + ", by " + l.by() + " since " + l.when() + ")", null, e.namespace(),
          "`slipway promote " + service + env + "`, `slipway abort " + service + env + "` or `slipway deploy " + service
              + env + " --resume`", KubernetesException.HELD);
    }
  }

  private void requireRollingOut(State st, String service, int revision) throws KubernetesException {
    Entry latest = st.latest().orElse(null);
    if (latest == null || latest.revision() != revision || latest.phase() == DeploymentPhase.DONE) {
      throw new KubernetesException(service + " r" + revision + " is no longer rolling out"
          + (latest == null ? "" : ": " + latest.id() + " " + latest.state() + " (" + latest.reason() + ", by " + latest.by() + ")"),
          null, e.namespace(), null, KubernetesException.FAILED);
    }
  }

  private static List<CanaryStep> steps(ServiceSpec s) {
    return s.strategy() instanceof StrategySpec.Canary c ? c.steps() : List.of();
  }

  private static boolean shifts(CanaryStep step) {
    return step instanceof CanaryStep.SetWeight w && w.weight() > 0 && w.weight() < 100;
  }

  private static void sleep(java.time.Duration d) throws KubernetesException {
    try {
      Thread.sleep(d);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new KubernetesException("interrupted during a canary pause", null, null,
          "deploy the service again with --resume to go on from the last commit", KubernetesException.FAILED, ex);
    }
  }
}
