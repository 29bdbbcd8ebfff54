package dev.slipway.server.team;

import dev.slipway.api.team.AuditEntryView;
import dev.slipway.api.team.CheckpointView;
import dev.slipway.api.team.UserView;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the team server's own routes keep, over the team store and the audit log: users and their
 * token hashes, the runs ({@link RunLedger}), release facts, the audit trail and its signed checkpoints.
 */
interface TeamLedger extends RunLedger {

  boolean hasUsers();

  /** The user holding the token whose SHA-256 (hex) is {@code tokenHash}. */
  Optional<Caller> callerByTokenHash(String tokenHash);

  List<UserView> users();

  Optional<UserView> user(String name);

  /** Adds the user, or gives an existing one a new token and these roles (the old token stops working). */
  UserView putUser(String name, List<String> roles, String tokenHash, String by, Instant at, Audit audit);

  UserView setRoles(String name, List<String> roles, Audit audit);

  /** The release facts of an environment, newest first per service. */
  List<ReleaseFacts> releases(String environment);

  /** Audit entries oldest first; {@code environment}/{@code since} null for all. */
  List<AuditEntryView> audit(String environment, Instant since, long afterSeq, int limit);

  /** How many entries the chain has. */
  long auditCount();

  /** Signs and stores a checkpoint of the chain as it is now. */
  CheckpointView checkpoint(Instant at);

  Optional<CheckpointView> latestCheckpoint();

  List<CheckpointView> checkpoints();
}
