package dev.slipway.store;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/** Runs Flyway over a store's schema: validate, refuse a newer schema, migrate. */
final class FlywayMigrator {
  private FlywayMigrator() {}

  static void migrate(Database db) throws StoreException {
    migrate(db, Migrations.LOCATION, Migrations.HISTORY_TABLE, "the state store");
  }

  /**
   * @param location   the class path folder of the scripts
   * @param table      the history table, one per set of scripts so that several can share a database
   * @param what       the store, for messages ("the team store")
   */
  static void migrate(Database db, String location, String table, String what) throws StoreException {
    StoreLocation place = db.location();
    String operation = "migrate " + what;
    try {
      Flyway flyway = Flyway.configure(FlywayMigrator.class.getClassLoader())
          .dataSource(db.source())
          .locations("classpath:" + location)
          .table(table)
          // Flyway ignores migrations it does not know ("future" ones) by default; a schema from a
          // newer Slipway must fail instead, as the code here does not know what it means.
          .ignoreMigrationPatterns(new String[0])
          .failOnMissingLocations(true)
          .cleanDisabled(true)
          .load();
      for (MigrationInfo applied : flyway.info().applied()) {
        if (applied.getState() == MigrationState.FUTURE_SUCCESS || applied.getState() == MigrationState.FUTURE_FAILED) {
          throw new StoreException(operation,
              what + " " + place.display() + " was written by a newer Slipway (schema version "
                  + applied.getVersion() + " is unknown to this one)",
              "upgrade Slipway, or use --store to point at another database");
        }
      }
      flyway.migrate();
    } catch (FlywayException e) {
      String reason = place.mask(e.getMessage());
      if (reason != null && reason.contains("non-empty schema")) {
        // Flyway's advice (baseline) would mix Slipway's tables into someone else's schema.
        throw new StoreException(operation, "the database at " + place.display()
            + " already holds tables that are not Slipway's", "point --store at a database of its own", e);
      }
      throw new StoreException(operation, "cannot migrate " + what + " " + place.display() + " (" + reason + ")",
          null, e);
    }
  }
}
