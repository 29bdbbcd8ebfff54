package dev.slipway.kubernetes;

import dev.slipway.kubernetes.GitOpsCommits.Entry;
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
 * The releases of a GitOps environment as commits: a whole release is one commit; a canary is one
 * commit per traffic step ({@code setWeight}), then one that promotes it; abort and rollback are new
 * commits restoring earlier manifests. Each change is computed on top of the branch's head, so a
 * rejected push is simply computed again (see {@link GitOpsRepo#commit}).
 */
final class GitOpsRollout {
  private final GitOpsEnvironment e;

  GitOpsRollout(GitOpsEnvironment e) {
    this.e = e;
  }

  /** What a change reads from the head: the branch's log, the environment's files, the service's releases. */
  private record State(List<RevCommit> log, Map<String, String> files, List<Entry> entries) {
    Optional<Entry> latest() {
      return entries.stream().findFirst();
    }

    int next() {
      return entries.stream().mapToInt(Entry::revision).max().orElse(0) + 1;
    }
  }

  private State state(RevCommit head, String service) throws KubernetesException {
    List<RevCommit> log = e.repo().log(head);
    return new State(log, e.repo().files(head, e.dir()), GitOpsCommits.entries(log, e.env().name(), service));
  }

  DeployResult deploy(ServiceSpec s, String image, String strategy, boolean wait) throws KubernetesException {
    boolean stableRunning = e.repo().files(e.repo().fetch(), e.dir()).containsKey(GitOpsManifests.fileOf(s.name()));
    if ("canary".equals(strategy) && stableRunning && steps(s).stream().anyMatch(GitOpsRollout::shifts)) {
      return steps(s, 0, image, 0, false, wait);
    }
    Entry[] made = new Entry[1];
    RevCommit c = e.repo().commit(head -> {
      State st = state(head, s.name());
      refuseInProgress(st, s.name());
      boolean install = st.files().isEmpty();
      Map<String, String> writes = install ? e.manifests().all(Map.of(s.name(), image))
          : Map.of(GitOpsManifests.SHARED, e.manifests().shared(), GitOpsManifests.fileOf(s.name()),
              e.manifests().service(s.name(), image));
      String file = writes.get(GitOpsManifests.fileOf(s.name()));
      made[0] = e.entry(s.name(), st.next(), image, install ? "install" : strategy, DeploymentPhase.DONE, "live", -1,
          "deploy", GitOpsManifests.digest(file));
      return update(writes, "deploy " + s.name() + " " + made[0].id() + " (image " + image + ") by " + e.by(), made[0]);
    });
    return finish(made[0], c, s.name(), image, wait, "is live");
  }

  /**
   * Runs the canary's model steps from {@code from}: a commit per traffic step, timed pauses waited
   * here, a pause without a duration ends the command (unless {@code promoted}: that one is passed once),
   * then the promoting commit. {@code revision} 0 makes a new release with the first commit.
   */
  DeployResult steps(ServiceSpec s, int revision, String image, int from, boolean promoted, boolean wait)
      throws KubernetesException {
    List<CanaryStep> steps = steps(s);
    int[] rev = {revision};
    boolean skipPause = promoted;
    for (int i = from; i < steps.size(); i++) {
      CanaryStep step = steps.get(i);
      int index = i;
      switch (step) {
        case CanaryStep.SetWeight w when shifts(w) -> {
          Entry[] made = new Entry[1];
          RevCommit c = e.repo().commit(head -> {
            State st = state(head, s.name());
            if (rev[0] == 0) {
              refuseInProgress(st, s.name());
              rev[0] = st.next();
            } else {
              requireRollingOut(st, s.name(), rev[0]);
            }
            String text = e.manifests().canary(st.files().get(GitOpsManifests.fileOf(s.name())), s.name(), image, w.weight());
            made[0] = e.entry(s.name(), rev[0], image, "canary", DeploymentPhase.SHIFTING, "in-progress", index,
                "deploy", GitOpsManifests.digest(text));
            return update(Map.of(GitOpsManifests.fileOf(s.name()), text), "deploy " + s.name() + " " + made[0].id()
                + " step " + (index + 1) + "/" + steps.size() + ": " + w.weight() + "% to canary (image " + image + ") by "
                + e.by(), made[0]);
          });
          DeployResult r = finish(made[0], c, s.name() + "-canary", image, wait, "has " + w.weight() + "% of traffic");
          if (!r.ok()) {
            abort(s.name(), "canary never became ready: " + r.message());
            return new DeployResult(r.release(), false, s.name() + " " + made[0].id() + " rolled back: " + r.message());
          }
          if (!wait) {
            return new DeployResult(r.release(), true, r.message() + "; `slipway deploy " + s.name() + " --env "
                + e.env().name() + " --resume` goes on");
          }
        }
        case CanaryStep.Pause p when p.untilPromoted() -> {
          if (!skipPause) {
            String id = "r" + rev[0];
            e.progress().accept("⏸ " + s.name() + " " + id + " paused: `slipway promote " + s.name() + " --env "
                + e.env().name() + "` goes on");
            ClusterRelease now = GitOpsCommits.releases(e.repo().log(e.repo().fetch()), e.env().name(), s.name())
                .stream().filter(x -> x.revision() == rev[0]).findFirst().orElse(null);
            return new DeployResult(now, true, s.name() + " " + id + " paused at step " + (index + 1) + " until promoted");
          }
          skipPause = false;
        }
        case CanaryStep.Pause p -> sleep(p.duration());
        case CanaryStep.Analysis a -> e.progress().accept("· " + s.name() + ": analysis step " + (index + 1)
            + " not judged in GitOps mode (no metric source yet); going on");
        default -> { }
      }
    }
    if (rev[0] == 0) {
      return deploy(s, image, "rolling", wait);
    }
    Entry[] made = new Entry[1];
    RevCommit c = e.repo().commit(head -> {
      State st = state(head, s.name());
      requireRollingOut(st, s.name(), rev[0]);
      String text = e.manifests().service(s.name(), image);
      made[0] = e.entry(s.name(), rev[0], image, "canary", DeploymentPhase.DONE, "live", steps.size(),
          promoted ? "promote" : "deploy", GitOpsManifests.digest(text));
      return update(Map.of(GitOpsManifests.SHARED, e.manifests().shared(), GitOpsManifests.fileOf(s.name()), text),
          (promoted ? "promote " : "deploy ") + s.name() + " " + made[0].id() + ": all traffic (image " + image + ") by "
              + e.by(), made[0]);
    });
    return finish(made[0], c, s.name(), image, wait, "is live");
  }

  /** Goes on with the service's rollout from the step after its last commit ({@code promote}, {@code --resume}). */
  DeployResult resume(String service, boolean promoted, boolean wait) throws KubernetesException {
    Entry latest = state(e.repo().fetch(), service).latest().filter(x -> x.phase() != DeploymentPhase.DONE)
        .orElseThrow(() -> new KubernetesException(service + " has no rollout in progress on " + e.env().name(), null,
            e.namespace(), "`slipway history " + service + " --env " + e.env().name() + "` shows its releases",
            KubernetesException.BAD_INPUT));
    return steps(e.service(service), latest.revision(), latest.image(), latest.step() + 1, promoted, wait);
  }

  /** One commit putting the stable release back alone (the canary's Deployment removed). */
  DeployResult abort(String service, String reason) throws KubernetesException {
    Entry[] made = new Entry[1];
    String[] stableImage = new String[1];
    RevCommit c = e.repo().commit(head -> {
      State st = state(head, service);
      Entry latest = st.latest().filter(x -> x.phase() != DeploymentPhase.DONE).orElseThrow(() ->
          new KubernetesException(service + " has no rollout in progress on " + e.env().name() + " to abort", null,
              e.namespace(), null, KubernetesException.BAD_INPUT));
      String text = GitOpsManifests.stable(st.files().get(GitOpsManifests.fileOf(service)), service);
      stableImage[0] = GitOpsManifests.image(text, service);
      made[0] = e.entry(service, latest.revision(), latest.image(), latest.strategy(), DeploymentPhase.DONE,
          "rolled-back", latest.step(), reason, GitOpsManifests.digest(text));
      return update(Map.of(GitOpsManifests.fileOf(service), text), "abort " + service + " " + latest.id() + " (image "
          + latest.image() + "): traffic back to stable by " + e.by(), made[0]);
    });
    return finish(made[0], c, service, stableImage[0], true, "rolled back, traffic on the stable release");
  }

  /**
   * A new release whose service file is the earlier release's, read from the commit that made it live:
   * history only grows, nothing is rewritten.
   */
  DeployResult rollback(String service, Integer toRevision) throws KubernetesException {
    Entry[] made = new Entry[1];
    RevCommit c = e.repo().commit(head -> {
      State st = state(head, service);
      List<ClusterRelease> releases = GitOpsCommits.releases(st.log(), e.env().name(), service);
      int live = releases.stream().filter(r -> "live".equals(r.state())).mapToInt(ClusterRelease::revision).findFirst().orElse(0);
      Entry target = null;
      for (ClusterRelease r : releases) {
        boolean wanted = toRevision != null ? r.revision() == toRevision : r.revision() != live;
        Optional<Entry> went = wanted ? GitOpsCommits.liveCommit(st.log(), e.env().name(), service, r.revision())
            : Optional.empty();
        if (went.isPresent() && !(toRevision == null && went.get().image().equals(imageOf(releases, live)))) {
          target = went.get();
          break;
        }
      }
      if (target == null) {
        throw new KubernetesException(toRevision != null ? service + " r" + toRevision + " never went live on "
            + e.env().name() : service + " has no earlier release to roll back to on " + e.env().name(), null,
            e.namespace(), "`slipway history " + service + " --env " + e.env().name() + "` lists its releases",
            KubernetesException.BAD_INPUT);
      }
      String text = fileAt(st.log(), target.commit(), service);
      made[0] = e.entry(service, st.next(), target.image(), "immediate", DeploymentPhase.DONE, "live", -1,
          "rollback to " + target.id(), GitOpsManifests.digest(text));
      return update(Map.of(GitOpsManifests.fileOf(service), text), "rollback " + service + " " + made[0].id() + " to "
          + target.id() + " (image " + target.image() + ") by " + e.by(), made[0]);
    });
    return finish(made[0], c, service, made[0].image(), true, "is live");
  }

  /** The split a paused or interrupted canary left: {@code r2 90% · r3 10% (replicas: coarse)}. */
  String traffic(ServiceSpec s, ClusterRelease live, ClusterRelease moving) {
    List<CanaryStep> steps = steps(s);
    if (moving.step() >= steps.size() || !(steps.get(moving.step()) instanceof CanaryStep.SetWeight w)) {
      return null;
    }
    return (live == null ? "stable" : live.id()) + " " + (100 - w.weight()) + "% · " + moving.id() + " " + w.weight()
        + "% (by replicas: coarse)";
  }

  private String fileAt(List<RevCommit> log, String commit, String service) throws KubernetesException {
    for (RevCommit c : log) {
      if (c.getName().equals(commit)) {
        String text = e.repo().files(c, e.dir()).get(GitOpsManifests.fileOf(service));
        if (text != null) {
          return text;
        }
      }
    }
    throw new KubernetesException("the commit " + commit + " has no " + e.dir() + "/" + GitOpsManifests.fileOf(service),
        null, e.namespace(), null, KubernetesException.FAILED);
  }

  private static String imageOf(List<ClusterRelease> releases, int revision) {
    return releases.stream().filter(r -> r.revision() == revision).map(ClusterRelease::image).findFirst().orElse("");
  }

  private GitOpsRepo.Update update(Map<String, String> files, String subject, Entry entry) throws KubernetesException {
    e.checkSecrets(files);
    return new GitOpsRepo.Update(e.under(new LinkedHashMap<>(files)), Set.of(), GitOpsCommits.message(subject, entry));
  }

  /** Reports the push, then (waiting, with a cluster) watches Argo CD or Flux apply it. */
  private DeployResult finish(Entry entry, RevCommit c, String deployment, String image, boolean wait, String what)
      throws KubernetesException {
    Entry done = entry.committed(java.time.Instant.ofEpochSecond(c.getCommitTime()), c.getName());
    ClusterRelease release = GitOpsCommits.releases(List.of(c), e.env().name(), entry.service()).getFirst();
    String head = entry.service() + " " + done.id();
    e.progress().accept("✓ pushed " + c.abbreviate(7).name() + " to " + e.repo().branch() + ": " + c.getShortMessage());
    GitOpsWatch watch = e.watch();
    if (!wait || watch == null) {
      return new DeployResult(release, true, head + " committed as " + c.abbreviate(7).name()
          + (watch == null ? " (no cluster configured to watch it apply)" : ""));
    }
    e.progress().accept("… waiting for Argo CD or Flux to apply " + c.abbreviate(7).name() + " (Deployment " + deployment + ")");
    GitOpsWatch.Outcome o = watch.await(deployment, entry.service(), image, e.deadline);
    if (o.ok()) {
      e.progress().accept("✓ " + o.message());
    }
    return new DeployResult(release, o.ok(), o.ok() ? head + " " + what + " (" + c.abbreviate(7).name() + " applied)"
        : head + " committed as " + c.abbreviate(7).name() + " but " + o.message());
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
