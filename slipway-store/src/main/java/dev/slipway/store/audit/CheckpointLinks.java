package dev.slipway.store.audit;

import dev.slipway.api.team.AuditChain;
import dev.slipway.api.team.AuditEntryView;
import dev.slipway.api.team.AuditVerifier;
import dev.slipway.api.team.CheckpointView;
import dev.slipway.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Before a checkpoint is signed: do the entries since the previous checkpoint still extend it? The
 * check reads only those entries (the first checkpoint reads them all, once), so the server can run
 * it every minute; {@code slipway audit verify} checks the whole trail.
 */
final class CheckpointLinks {
  private static final String OPERATION = "sign an audit checkpoint";
  private static final String HINT = "the server signs nothing over it; run slipway audit verify to see what"
      + " changed, and restore the team database from a backup taken before the change";

  private CheckpointLinks() {}

  static void check(Connection c, CheckpointView previous, long headSeq, String headHash)
      throws SQLException, StoreException {
    long from = previous == null ? 0 : previous.count();
    String expected = previous == null ? AuditChain.GENESIS : previous.headHash();
    String since = previous == null ? "the start of the trail" : "the checkpoint of " + previous.at() + " (" + from
        + " entries)";
    if (headSeq < from) {
      throw refuse("the trail's head names " + headSeq + " entries, fewer than " + since);
    }
    try (PreparedStatement s = JdbcAuditLog.prepare(c, "SELECT seq, at, actor, action, environment, service,"
        + " before_release, after_release, before_digest, after_digest, reason, details, prev_hash, hash"
        + " FROM audit_entries WHERE seq >= ? ORDER BY seq")) {
      s.setFetchSize(500);
      s.setLong(1, Math.max(from, 1));
      try (ResultSet rs = s.executeQuery()) {
        long next = from + 1;
        boolean sawSigned = from == 0;
        while (rs.next()) {
          AuditEntryView e = JdbcAuditLog.entry(rs);
          boolean own = AuditChain.hash(e.prevHash(), e).equals(e.hash());
          if (e.seq() == from) {
            // The checkpoint's own last entry: still the one it signed?
            if (!own || !e.hash().equals(expected)) {
              throw refuse(AuditVerifier.describe(e) + ", the last one " + since + " signed, has changed");
            }
            sawSigned = true;
            continue;
          }
          if (!sawSigned) {
            throw refuse("entry " + from + ", the last one " + since + " signed, is missing");
          }
          if (e.seq() != next) {
            throw refuse("entr" + (e.seq() == next + 1 ? "y " + next + " is" : "ies " + next + " to " + (e.seq() - 1) + " are")
                + " missing after " + since);
          }
          if (!e.prevHash().equals(expected) || !own) {
            throw refuse(AuditVerifier.describe(e) + " does not " + (own ? "link to the entry before it" : "match its hash")
                + " (since " + since + ")");
          }
          expected = e.hash();
          next++;
        }
        if (!sawSigned) {
          throw refuse("entry " + from + ", the last one " + since + " signed, is missing");
        }
        if (next - 1 != headSeq || !expected.equals(headHash)) {
          throw refuse("the trail's head row (" + headSeq + " entries) does not match its last entry (" + (next - 1) + ")");
        }
      }
    }
  }

  private static StoreException refuse(String problem) {
    return new StoreException(OPERATION, "the audit trail no longer extends what was signed: " + problem, HINT);
  }
}
