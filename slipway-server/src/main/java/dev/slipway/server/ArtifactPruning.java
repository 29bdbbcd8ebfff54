package dev.slipway.server;

import dev.slipway.engine.runtime.TargetException;
import dev.slipway.local.LocalTarget;
import dev.slipway.store.StateStore;
import dev.slipway.store.StoreException;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Deletes the local artifact snapshots no stored release names, when a control plane starts and
 * before it builds or starts anything. Every release in the store, of any service and environment,
 * is one {@code slipway rollback} may go back to, so its snapshot stays; a snapshot of a build whose
 * release was never stored (a failed or superseded build) is what goes.
 *
 * <p>Only at start-up: later, a snapshot just taken for a deploy is unreferenced until its release
 * is stored, and pruning then could delete it under the deploy.
 */
final class ArtifactPruning {
  private ArtifactPruning() {}

  /** Prunes; a failure is reported to {@code say} and does not stop the control plane. */
  static void atStartUp(LocalTarget target, StateStore store, Consumer<String> say) {
    try {
      Set<String> keep = store.artifactDigests();
      for (String line : target.pruneArtifacts(keep)) {
        say.accept(line);
      }
    } catch (StoreException e) {
      say.accept("artifacts not pruned: " + e.getMessage());
    } catch (TargetException e) {
      say.accept("artifacts not pruned: " + e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")"));
    }
  }
}
