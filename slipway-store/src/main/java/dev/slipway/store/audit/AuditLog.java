package dev.slipway.store.audit;

import dev.slipway.api.team.AuditEntryView;
import dev.slipway.api.team.CheckpointView;
import dev.slipway.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The team server's audit trail: an append-only hash chain ({@link dev.slipway.api.team.AuditChain}) of
 * every change, and signed checkpoints over it. Entries are numbered 1, 2, … without gaps, in the order
 * their transactions took the chain's head, across every thread and process that shares the database.
 *
 * <p>{@link JdbcAuditLog} keeps it in PostgreSQL, in the tables of {@code db/team/V2__audit.sql}.
 */
public interface AuditLog {
  /** Appends one entry in a transaction of its own and returns it as stored (seq, at, hashes). */
  AuditEntryView append(NewAuditEntry entry) throws StoreException;

  /**
   * Appends one entry inside the caller's open transaction on {@code connection} (auto-commit off),
   * so that a change and its audit entry commit or roll back together. The caller commits; until
   * then the chain's head stays locked and every other append waits, so call this last, just
   * before the commit. A failure leaves the transaction for the caller to roll back.
   *
   * @throws IllegalStateException if {@code connection} is in auto-commit mode (there is no
   *     transaction to join, and the head's lock would be gone before the entry is written)
   */
  AuditEntryView append(Connection connection, NewAuditEntry entry) throws SQLException;

  /**
   * Entries oldest first.
   *
   * @param environment only this environment's entries, or null for all (only the whole trail,
   *     with no filter, can be verified as a chain)
   * @param since       only entries at or after this instant, or null
   * @param afterSeq    only entries after this seq (0 for the start), for paging
   * @param limit       at most this many (positive)
   */
  List<AuditEntryView> list(String environment, Instant since, long afterSeq, int limit) throws StoreException;

  /** How many entries the chain's head says there are (the last seq). */
  long count() throws StoreException;

  /** The last entry, or empty for an empty trail. */
  Optional<AuditEntryView> head() throws StoreException;

  /**
   * Signs the trail as it stands now (count and head hash, {@link dev.slipway.api.team.AuditChain#checkpointText}),
   * stores the checkpoint and returns it. Refuses (a {@link StoreException}) to sign a trail whose
   * entries since the previous checkpoint do not extend it: a signature must never bless an edit.
   */
  CheckpointView checkpoint(AuditSigner signer) throws StoreException;

  /** The newest stored checkpoint, or empty when none was signed yet. */
  Optional<CheckpointView> latestCheckpoint() throws StoreException;

  /** Every stored checkpoint, oldest first. */
  List<CheckpointView> checkpoints() throws StoreException;
}
