package dev.slipway.store.team;

import dev.slipway.store.StoreException;
import dev.slipway.store.audit.NewAuditEntry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The team server's state: users (by token hash), runs, releases as the server saw them,
 * promotions, approvals, freezes and a little key/value state.
 *
 * <p>Every method that changes something takes a nullable {@link NewAuditEntry}: when given, it is
 * appended to the audit trail in the same transaction as the change, so the change and its entry
 * commit together or not at all. A transition whose expected state no longer holds changes nothing
 * and appends nothing.
 *
 * <p>Every call is a transaction of its own; failures are {@link StoreException}s whose message
 * says what to do ({@link TeamConflictException} for a name taken or a decision given twice).
 */
public interface TeamStore {

  // Users

  /**
   * Adds a user.
   *
   * @param tokenSha256 the SHA-256 of the user's token, 64 lowercase hex digits; the token itself is never stored
   * @throws TeamConflictException when the name is taken
   */
  TeamUser addUser(String name, List<String> roles, String tokenSha256, String createdBy, NewAuditEntry audit)
      throws StoreException;

  /** Replaces a user's token (its hash); empty when there is no such user. */
  Optional<TeamUser> rotateToken(String name, String tokenSha256, NewAuditEntry audit) throws StoreException;

  /** Replaces a user's roles; empty when there is no such user. */
  Optional<TeamUser> setRoles(String name, List<String> roles, NewAuditEntry audit) throws StoreException;

  /** The user holding the token with this SHA-256, the only way a token is looked up. */
  Optional<TeamUser> userByTokenSha256(String tokenSha256) throws StoreException;

  Optional<TeamUser> user(String name) throws StoreException;

  /** Every user, by name. */
  List<TeamUser> users() throws StoreException;

  long userCount() throws StoreException;

  // Runs

  /** Persists a run as {@link Run#PENDING}, before anything acts on it. */
  Run createRun(NewRun run, NewAuditEntry audit) throws StoreException;

  /**
   * Moves a run from {@code expectedState} (compare-and-set): empty, with nothing changed or
   * appended, when the run is not in that state (someone else moved it) or does not exist.
   */
  Optional<Run> transitionRun(long id, String expectedState, RunChange change, NewAuditEntry audit)
      throws StoreException;

  Optional<Run> run(long id) throws StoreException;

  /** The runs not finished yet, oldest first: what a restarted server must finish. */
  List<Run> activeRuns() throws StoreException;

  /** The latest runs on an environment, newest first. */
  List<Run> runs(String environment, int limit) throws StoreException;

  /** The runs that carry out a promotion, oldest first. */
  List<Run> runsOfPromotion(long promotionId) throws StoreException;

  // Releases as the server saw them

  /**
   * Records (inserts or replaces) a release of a service in an environment and makes it that
   * service's current release there.
   */
  ServerRelease recordRelease(ServerRelease release, NewAuditEntry audit) throws StoreException;

  /**
   * Marks a release as rolled back at {@code at} (state {@code rolled-back}) without making it
   * current; empty when it was never recorded.
   */
  Optional<ServerRelease> markRolledBack(String environment, String service, String release, Instant at,
      NewAuditEntry audit) throws StoreException;

  /** The release of a service recorded last in an environment. */
  Optional<ServerRelease> currentRelease(String environment, String service) throws StoreException;

  /** Every release recorded in an environment, the most recently recorded first. */
  List<ServerRelease> releases(String environment) throws StoreException;

  // Promotions and approvals

  Promotion createPromotion(NewPromotion promotion, NewAuditEntry audit) throws StoreException;

  /** Moves a promotion from {@code expectedState} (compare-and-set); empty, with nothing changed, otherwise. */
  Optional<Promotion> transitionPromotion(long id, String expectedState, PromotionChange change, NewAuditEntry audit)
      throws StoreException;

  Optional<Promotion> promotion(long id) throws StoreException;

  /**
   * Promotions, newest first.
   *
   * @param environment only those from or to this environment; null for all
   * @param state       only those in this state; null for all
   */
  List<Promotion> promotions(String environment, String state) throws StoreException;

  /**
   * Records a user's decision on a promotion.
   *
   * @param decision {@link Approval#APPROVED} or {@link Approval#REJECTED}
   * @throws TeamConflictException when the user already decided on it
   */
  Approval decide(long promotionId, String user, String decision, String comment, NewAuditEntry audit)
      throws StoreException;

  /** The decisions on a promotion, oldest first. */
  List<Approval> approvals(long promotionId) throws StoreException;

  // Freezes

  /** Freezes an environment until {@code until}, replacing any freeze it had. */
  Freeze freeze(String environment, Instant until, String reason, String by, NewAuditEntry audit)
      throws StoreException;

  /** Lifts an environment's freeze; false when it had none. */
  boolean unfreeze(String environment, NewAuditEntry audit) throws StoreException;

  /** The environment's freeze if it is in force at {@code now}. */
  Optional<Freeze> currentFreeze(String environment, Instant now) throws StoreException;

  /** Every freeze in force at {@code now}, by environment. */
  List<Freeze> currentFreezes(Instant now) throws StoreException;

  // Server state

  Optional<String> serverState(String key) throws StoreException;

  void putServerState(String key, String value, NewAuditEntry audit) throws StoreException;
}
