package dev.slipway.server.team;

import dev.slipway.api.team.TeamPaths;
import dev.slipway.server.ApiError;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The audit trail (read by any user) and its signed checkpoints; {@code POST} signs one now. */
final class AuditRoutes implements TeamRoutes {
  private final TeamLedger ledger;
  private final Checkpoints checkpoints;

  AuditRoutes(TeamLedger ledger, Checkpoints checkpoints) {
    this.ledger = ledger;
    this.checkpoints = checkpoints;
  }

  @Override
  public void register(TeamRouter r) {
    r.get(TeamPaths.AUDIT, q -> TeamResponse.ok(ledger.audit(q.query("env").orElse(null),
        q.query("since").map(AuditRoutes::instant).orElse(null), q.queryLong("afterSeq", 0),
        (int) Math.max(1, Math.min(10_000, q.queryLong("limit", 1000))))));
    r.get(TeamPaths.AUDIT_CHECKPOINT, q -> TeamResponse.ok(ledger.latestCheckpoint().orElseThrow(() ->
        ApiError.notFound("no-checkpoint", "no checkpoint signed yet; sign one: POST " + TeamPaths.AUDIT_CHECKPOINT))));
    // Any user may ask for a checkpoint: it adds no entry, it only signs what the chain already is.
    r.post(TeamPaths.AUDIT_CHECKPOINT, q -> TeamResponse.ok(checkpoints.signNow()));
    r.get(TeamPaths.AUDIT_CHECKPOINTS, q -> TeamResponse.ok(ledger.checkpoints()));
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw ApiError.badRequest("`since` must be an ISO instant like 2026-12-07T09:00:00Z, got `" + text + "`");
    }
  }
}
