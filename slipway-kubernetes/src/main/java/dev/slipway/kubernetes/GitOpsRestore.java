package dev.slipway.kubernetes;

import dev.slipway.kubernetes.GitOpsCommits.Entry;
import dev.slipway.kubernetes.GitOpsManifests.Release;
import dev.slipway.kubernetes.GitOpsRollout.State;
import dev.slipway.store.DeploymentPhase;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * {@code rollback [--to]} in GitOps mode: a new release whose service file is an earlier release's,
 * read from the commit that made it live, committed again byte for byte (its objects keep the earlier
 * release's id). History only grows; nothing is rewritten or force-pushed.
 */
final class GitOpsRestore {
  private final GitOpsEnvironment e;
  private final GitOpsRollout r;

  GitOpsRestore(GitOpsEnvironment e, GitOpsRollout r) {
    this.e = e;
    this.r = r;
  }

  /**
   * A new release whose service file is the earlier release's, read from the commit that made it live:
   * history only grows, nothing is rewritten.
   */
  DeployResult rollback(String service, Integer toRevision) throws KubernetesException {
    Entry[] made = new Entry[1];
    Release[] restored = new Release[1];
    RevCommit c = e.repo().commit(head -> {
      State st = r.state(head, service);
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
      restored[0] = GitOpsManifests.releases(text, service).getFirst();
      made[0] = e.entry(service, st.next(service), target.image(), "immediate", DeploymentPhase.DONE, "live", -1,
          "rollback to " + target.id(), target.configDigest());
      return r.update(Map.of(GitOpsManifests.fileOf(service), text), "rollback " + service + " " + made[0].id() + " to "
          + target.id() + " (image " + target.image() + ") by " + e.by(), made[0]);
    });
    return r.finish(made[0], c, restored[0], true, "is live").result();
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

}
