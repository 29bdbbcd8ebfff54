package dev.slipway.store.audit;

import dev.slipway.store.StoreDatabase;
import dev.slipway.store.StoreException;
import dev.slipway.store.team.TeamMigrations;

/** The team database for these tests: a fresh PostgreSQL database with {@code db/team} applied, as the server does. */
final class TeamSchema {
  private TeamSchema() {}

  static StoreDatabase open(String url) throws StoreException {
    StoreDatabase db = StoreDatabase.openPostgres(url, null, null);
    try {
      TeamMigrations.migrate(db);
    } catch (StoreException | RuntimeException e) {
      db.close();
      throw e;
    }
    return db;
  }
}
