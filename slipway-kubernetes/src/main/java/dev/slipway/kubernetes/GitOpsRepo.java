package dev.slipway.kubernetes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The GitOps repository as Slipway uses it: a bare cache clone beside the model
 * ({@code .slipway/gitops/…}); trees are built in memory, so no working tree can be left half
 * written. A change is pushed without force; when someone else pushed first, the change is computed
 * again on top of their commit and pushed again, a bounded number of times.
 */
final class GitOpsRepo implements AutoCloseable {
  static final int MAX_ATTEMPTS = 5;

  /**
   * A change computed from the branch's head (null for an empty branch): files to write (path → text,
   * repository-relative), paths to delete (a path ending in {@code /} deletes a directory), the message.
   */
  record Update(Map<String, String> writes, Set<String> deletes, String message) {}

  /** Computes the update on top of the branch's current head; may throw to refuse (then nothing is pushed). */
  interface Change {
    Update on(RevCommit head) throws KubernetesException;
  }

  private final String url;
  private final String branch;
  private final Git git;
  private final CredentialsProvider credentials;
  private final PersonIdent identity;
  /** Runs between computing a change and pushing it: the tests push from a second clone here. */
  Runnable beforePush = () -> {};

  private GitOpsRepo(String url, String branch, Git git, CredentialsProvider credentials, PersonIdent identity) {
    this.url = url;
    this.branch = branch;
    this.git = git;
    this.credentials = credentials;
    this.identity = identity;
  }

  /** Opens (creating when missing) the bare cache of {@code url} in {@code cacheDir}; nothing is fetched yet. */
  static GitOpsRepo open(String url, String branch, Path cacheDir, CredentialsProvider credentials,
      PersonIdent identity) throws KubernetesException {
    try {
      Git git;
      if (Files.isRegularFile(cacheDir.resolve("HEAD"))) {
        git = Git.open(cacheDir.toFile());
      } else {
        Files.createDirectories(cacheDir);
        git = Git.init().setBare(true).setDirectory(cacheDir.toFile()).call();
      }
      StoredConfig config = git.getRepository().getConfig();
      config.setString("remote", "origin", "url", url);
      config.save();
      return new GitOpsRepo(url, branch, git, credentials, identity);
    } catch (IOException | GitAPIException e) {
      throw failure("cannot prepare the GitOps cache " + cacheDir + ": " + e.getMessage(),
          "delete " + cacheDir + " and try again", e);
    }
  }

  String url() {
    return url;
  }

  String branch() {
    return branch;
  }

  Repository repository() {
    return git.getRepository();
  }

  /** Fetches the remote branch; its head, or null while the branch does not exist. */
  RevCommit fetch() throws KubernetesException {
    try {
      git.fetch().setRemote("origin").setRemoveDeletedRefs(true).setCredentialsProvider(credentials)
          // A wildcard: an empty repository (no branch yet) is not an error.
          .setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/origin/*")).call();
      ObjectId head = repository().resolve("refs/remotes/origin/" + branch);
      if (head == null) {
        return null;
      }
      try (RevWalk walk = new RevWalk(repository())) {
        return walk.parseCommit(head);
      }
    } catch (GitAPIException | IOException e) {
      throw failure("cannot fetch " + url + ": " + e.getMessage(),
          "check the repository's URL and your Git credentials (~/.git-credentials, ~/.ssh/config)", e);
    }
  }

  /** The text files under {@code dir} at {@code commit} by path relative to {@code dir}; empty for a null commit. */
  Map<String, String> files(RevCommit commit, String dir) throws KubernetesException {
    Map<String, String> out = new TreeMap<>();
    if (commit == null) {
      return out;
    }
    String prefix = dir.endsWith("/") ? dir : dir + "/";
    try (TreeWalk walk = new TreeWalk(repository())) {
      walk.addTree(commit.getTree());
      walk.setRecursive(true);
      while (walk.next()) {
        String path = walk.getPathString();
        if (path.startsWith(prefix)) {
          byte[] bytes = repository().open(walk.getObjectId(0)).getBytes();
          out.put(path.substring(prefix.length()), new String(bytes, StandardCharsets.UTF_8));
        }
      }
      return out;
    } catch (IOException e) {
      throw failure("cannot read " + dir + " at " + commit.getName() + ": " + e.getMessage(), null, e);
    }
  }

  /** The branch's commits from {@code head}, newest first (first parents: the branch's own line). */
  List<RevCommit> log(RevCommit head) throws KubernetesException {
    List<RevCommit> out = new ArrayList<>();
    if (head == null) {
      return out;
    }
    try (RevWalk walk = new RevWalk(repository())) {
      walk.setFirstParent(true);
      walk.markStart(walk.parseCommit(head));
      for (RevCommit c : walk) {
        out.add(c);
      }
      return out;
    } catch (IOException e) {
      throw failure("cannot read the history of " + url + ": " + e.getMessage(), null, e);
    }
  }

  /**
   * Fetches, computes {@code change} on top of the branch, commits and pushes, retrying on a rejected
   * push (someone else pushed first); never forces. Returns the pushed commit, or null when the change
   * was null (nothing to do).
   */
  RevCommit commit(Change change) throws KubernetesException {
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      RevCommit head = fetch();
      Update update = change.on(head);
      if (update == null) {
        return null;
      }
      RevCommit made = build(head, update);
      beforePush.run();
      RemoteRefUpdate.Status status = push(made);
      if (status == RemoteRefUpdate.Status.OK || status == RemoteRefUpdate.Status.UP_TO_DATE) {
        return made;
      }
      RevCommit now = fetch();
      if (now == null ? head == null : now.equals(head)) {
        // Not a race: the remote refuses this push itself (a protected branch, a hook).
        throw failure("the push to " + url + " (" + branch + ") was refused: " + status,
            "check that you may push to the branch (protected branches refuse direct pushes)", null);
      }
    }
    throw failure("the push to " + url + " (" + branch + ") was rejected " + MAX_ATTEMPTS
        + " times: others keep pushing to the branch", "run the command again; Slipway never force-pushes", null);
  }

  private RevCommit build(RevCommit head, Update update) throws KubernetesException {
    Repository repo = repository();
    try (ObjectInserter inserter = repo.newObjectInserter(); RevWalk walk = new RevWalk(repo)) {
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      if (head != null) {
        try (TreeWalk tree = new TreeWalk(repo)) {
          tree.addTree(head.getTree());
          tree.setRecursive(true);
          while (tree.next()) {
            String path = tree.getPathString();
            if (!update.writes().containsKey(path) && !deleted(path, update.deletes())) {
              DirCacheEntry e = new DirCacheEntry(path);
              e.setFileMode(tree.getFileMode(0));
              e.setObjectId(tree.getObjectId(0));
              builder.add(e);
            }
          }
        }
      }
      for (Map.Entry<String, String> w : update.writes().entrySet()) {
        DirCacheEntry e = new DirCacheEntry(w.getKey());
        e.setFileMode(FileMode.REGULAR_FILE);
        e.setObjectId(inserter.insert(Constants.OBJ_BLOB, w.getValue().getBytes(StandardCharsets.UTF_8)));
        builder.add(e);
      }
      builder.finish();
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(index.writeTree(inserter));
      if (head != null) {
        commit.setParentId(head);
      }
      PersonIdent now = new PersonIdent(identity, java.time.Instant.now());
      commit.setAuthor(now);
      commit.setCommitter(now);
      commit.setMessage(update.message());
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return walk.parseCommit(id);
    } catch (IOException e) {
      throw failure("cannot write the commit: " + e.getMessage(), null, e);
    }
  }

  private static boolean deleted(String path, Set<String> deletes) {
    for (String d : deletes) {
      if (d.endsWith("/") ? path.startsWith(d) : path.equals(d)) {
        return true;
      }
    }
    return false;
  }

  /** OK when the branch now points at {@code made}; a REJECTED_ status when the remote did not take it. */
  private RemoteRefUpdate.Status push(RevCommit made) throws KubernetesException {
    String ref = Constants.R_HEADS + branch;
    try {
      // The cache's own branch ref is only a name to push from; it is Slipway's, so moving it is safe.
      RefUpdate local = repository().updateRef(ref);
      local.setNewObjectId(made);
      local.setForceUpdate(true);
      local.update();
      Iterable<PushResult> results = git.push().setRemote("origin").setCredentialsProvider(credentials)
          .setRefSpecs(new RefSpec(ref + ":" + ref)).call();
      for (PushResult r : results) {
        RemoteRefUpdate u = r.getRemoteUpdate(ref);
        if (u == null) {
          continue;
        }
        switch (u.getStatus()) {
          case OK, UP_TO_DATE, REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED, REJECTED_OTHER_REASON -> {
            return u.getStatus();
          }
          default -> throw failure("the push to " + url + " (" + branch + ") failed: " + u.getStatus()
              + (u.getMessage() == null ? "" : " (" + u.getMessage() + ")"),
              "check that you may push to the branch (protected branches refuse direct pushes)", null);
        }
      }
      throw failure("the push to " + url + " (" + branch + ") reported nothing", null, null);
    } catch (GitAPIException | IOException e) {
      throw failure("cannot push to " + url + ": " + e.getMessage(),
          "check the repository's URL and your Git credentials (~/.git-credentials, ~/.ssh/config)", e);
    }
  }

  private static KubernetesException failure(String problem, String fix, Throwable cause) {
    return new KubernetesException(problem, null, null, fix, KubernetesException.FAILED, cause);
  }

  @Override
  public void close() {
    git.close();
  }
}
