package dev.slipway.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The durable state of releases on one host: releases, deployments (a persisted state machine the
 * engine drives), the current release of each service and an append-only event log.
 *
 * <p>Every method runs in a transaction of its own and is safe to call from several threads. A
 * method that returns has committed its change to the database; with the default H2 store the
 * change has also reached the operating system, so it survives the process being killed.
 */
public interface StateStore extends AutoCloseable {

  /**
   * Opens the store, creating and migrating its schema as needed.
   *
   * @param jdbcUrl null (or blank) for the H2 file database {@code stateDir/state/slipway.mv.db},
   *     which only one process may open at a time; else a {@code jdbc:postgresql://} URL, with the
   *     user and password either in the URL ({@code //user:password@host/db}) or as {@code user} and
   *     {@code password} query parameters
   * @param stateDir the {@code .slipway/} directory; used only for the H2 store
   * @throws StoreException when the database cannot be reached or opened, is in use by another
   *     process (H2), or was migrated by a newer Slipway
   */
  static StateStore open(String jdbcUrl, Path stateDir) throws StoreException {
    return JdbcStateStore.open(StoreLocation.of(jdbcUrl, stateDir));
  }

  /**
   * Records a release, numbered one past the highest number of its service in its environment;
   * its id is {@code service + "-r" + number}.
   */
  Release createRelease(NewRelease release) throws StoreException;

  Optional<Release> release(String environment, String releaseId) throws StoreException;

  /** The releases of a service in an environment, newest first. */
  List<Release> releases(String environment, String service) throws StoreException;

  /**
   * Every artifact digest a stored release names, of any service in any environment: what a rollback
   * may still need, so what artifact pruning keeps.
   */
  java.util.Set<String> artifactDigests() throws StoreException;

  /**
   * Starts a deployment in state PENDING and phase STARTING, at step 0 and revision 0. The database guarantees that a
   * service has at most one active deployment (PENDING, RUNNING or PAUSED), across threads and
   * processes.
   *
   * @throws RolloutInProgressException when the service already has an active deployment, which it
   *     names
   * @throws StoreException also when {@code toRelease} or {@code fromRelease} is not a release of the
   *     service in that environment
   */
  Deployment startDeployment(NewDeployment deployment) throws RolloutInProgressException, StoreException;

  /**
   * Stores the deployment's state, phase, step, step state, reason and measurements if the stored revision
   * is still {@code deployment.revision()} (compare-and-set), and returns the stored row, whose
   * revision is one higher. Moving to a final state sets {@code finishedAt} and frees the service for
   * its next deployment, and its phase becomes DONE (an active deployment cannot be DONE). A finished
   * deployment can still be updated (say, its final measurements) but can never become active again.
   *
   * @throws StaleDeploymentException when someone else updated the deployment since it was read
   */
  Deployment update(Deployment deployment) throws StaleDeploymentException, StoreException;

  Optional<Deployment> deployment(long id) throws StoreException;

  /** The service's active (PENDING, RUNNING or PAUSED) deployment, if any. */
  Optional<Deployment> activeDeployment(String environment, String service) throws StoreException;

  /** Every active deployment in the environment, ordered by service. */
  List<Deployment> activeDeployments(String environment) throws StoreException;

  /** The service's last {@code limit} deployments, newest first. */
  List<Deployment> history(String environment, String service, int limit) throws StoreException;

  /** Marks a release of the service as the one serving ("stable") now. */
  void setCurrentRelease(String environment, String service, String releaseId) throws StoreException;

  /** The id of the release serving now, if one was ever set. */
  Optional<String> currentRelease(String environment, String service) throws StoreException;

  /** Appends an event to the log and returns its id, higher than every id before it. */
  long appendEvent(NewEvent event) throws StoreException;

  /**
   * Up to {@code limit} events with an id above {@code afterId}, oldest first.
   *
   * @param service null for the events of every service (and of the environment as a whole)
   * @param afterId 0 to read from the start
   */
  List<StoredEvent> events(String environment, String service, long afterId, int limit) throws StoreException;

  /**
   * Leases on environments: who acts on one, and stores whose writes are fenced by a lease.
   *
   * @throws UnsupportedOperationException from a store without leases
   */
  default Leases leases() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no leases");
  }

  /**
   * Closes the connection; with H2 this also releases the database file for other processes.
   * Idempotent. A store returned by {@link Leases#fenced} only stops writing.
   */
  @Override
  void close();
}
