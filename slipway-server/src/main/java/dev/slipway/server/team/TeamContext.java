package dev.slipway.server.team;

import java.time.Clock;

/**
 * What every group of team routes works with: the store, the audit log, the model (read afresh from the
 * {@code -f} file), the runs, the clock and how the server was started. {@link TeamServer} builds one and
 * hands it to each {@link TeamRoutes}.
 */
public final class TeamContext {
  private final TeamSettings settings;
  private final TeamModel model;
  private final Runs runs;
  private final Clock clock;

  TeamContext(TeamSettings settings, TeamModel model, Runs runs, Clock clock) {
    this.settings = settings;
    this.model = model;
    this.runs = runs;
    this.clock = clock;
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
