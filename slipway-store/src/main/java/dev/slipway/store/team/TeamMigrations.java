package dev.slipway.store.team;

import dev.slipway.store.StoreDatabase;
import dev.slipway.store.StoreException;

/**
 * The team server's schema: the Flyway scripts in {@value #LOCATION} (users, runs, releases,
 * promotions, freezes; the audit trail), with a history table of their own so that they never mix
 * with the state store's.
 */
public final class TeamMigrations {
  /** The scripts' class path folder. */
  public static final String LOCATION = "db/team";
  /** Flyway's history table for these scripts. */
  public static final String HISTORY_TABLE = "team_schema_history";

  private TeamMigrations() {}

  /** Brings the database's team schema up to date; refuses one written by a newer Slipway. */
  public static void migrate(StoreDatabase db) throws StoreException {
    db.migrate(LOCATION, HISTORY_TABLE, "the team store");
  }
}
