package dev.slipway.server.team;

import dev.slipway.api.team.FreezeView;
import dev.slipway.api.team.RunView;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@link Runs} needs kept: the runs themselves, the release facts they observe, and the freezes they
 * obey. Each change carries its audit entry, appended in the same transaction (the store's rule).
 */
interface RunLedger {

  /** Persists a new run as {@code pending} with its audit entry; nothing has acted yet. */
  RunView create(RunRequest request, Instant at, Audit audit);

  /** The run's new state and message (null release/image/finishedAt keep what is stored). */
  RunView update(long id, String state, String message, String release, String image, Instant finishedAt, Audit audit);

  Optional<RunView> get(long id);

  /** Newest first, optionally of one environment, at most {@code limit}. */
  List<RunView> list(String environment, int limit);

  /** Runs a crash left {@code pending} or {@code running}, oldest first. */
  List<RunView> unfinished();

  /** The request a run was created from, to continue it after a crash. */
  Optional<RunRequest> request(long id);

  /** Records (inserts or updates) what the server saw of a release, and makes it its service's current one. */
  void recordRelease(ReleaseFacts facts);

  /** Marks a recorded release as rolled back at {@code at}, without making it current. */
  void markRolledBack(String environment, String service, String release, Instant at, Audit audit);

  Optional<FreezeView> freeze(String environment, Instant now);

  /** An audit entry to append with a change (null for a change that is not audited, e.g. a progress line). */
  record Audit(String actor, String action, String environment, String service, String beforeRelease,
      String afterRelease, String beforeDigest, String afterDigest, String reason, String details) {}

  /**
   * One release as seen on the cluster.
   *
   * @param configJson   the service's configuration there as JSON ({@code {"KEY":"template"}}), secret values masked
   * @param liveSince    when it reached 100% (null while not live)
   * @param analysis     {@code passed}, {@code failed}, {@code none}
   * @param rolledBackAt when a rollback took it out of service, or null
   * @param runId        the run that made it, or 0
   */
  record ReleaseFacts(String environment, String service, String release, String image, String configDigest,
      String configJson, String state, Instant liveSince, String analysis, Instant rolledBackAt, long runId) {}
}
