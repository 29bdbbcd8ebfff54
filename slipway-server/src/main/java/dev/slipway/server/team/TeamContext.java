package dev.slipway.server.team;

import dev.slipway.store.audit.AuditLog;
import dev.slipway.store.team.TeamStore;
import java.time.Clock;

/**
 * What every group of team routes works with: the store, the audit log, the model (read afresh from the
 * {@code -f} file), the runs, the clock and how the server was started. {@link TeamServer} builds one and
 * hands it to each {@link TeamRoutes}.
 */
public final class TeamContext {
  private final TeamStore store;
  private final AuditLog audit;
  private final TeamSettings settings;
  private final TeamModel model;
  private final Runs runs;
  private final Clock clock;

  TeamContext(TeamStore store, AuditLog audit, TeamSettings settings, TeamModel model, Runs runs, Clock clock) {
    this.store = store;
    this.audit = audit;
    this.settings = settings;
    this.model = model;
    this.runs = runs;
    this.clock = clock;
  }

  /** Users, runs, releases, promotions, approvals, freezes; each change takes its audit entry. */
  public TeamStore store() {
    return store;
  }

  /** The audit trail (reads; changes append through the store's methods). */
  public AuditLog audit() {
    return audit;
  }

  public TeamSettings settings() {
    return settings;
  }

  /** The application model, read from the {@code -f} file on every call. */
  public TeamModel model() {
    return model;
  }

  public Runs runs() {
    return runs;
  }

  public Clock clock() {
    return clock;
  }
}
