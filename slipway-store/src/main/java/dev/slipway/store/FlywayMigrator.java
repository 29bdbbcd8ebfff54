package dev.slipway.store;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/** Runs Flyway over the store's schema: validate, refuse a newer schema, migrate. */
final class FlywayMigrator {
  private FlywayMigrator() {}

  static void migrate(Database db) throws StoreException {
    StoreLocation location = db.location();
    String operation = "migrate the state store";
    try {
      Flyway flyway = Flyway.configure(FlywayMigrator.class.getClassLoader())
          .dataSource(db.source())
          .locations("classpath:" + Migrations.LOCATION)
          .table(Migrations.HISTORY_TABLE)
          // Flyway ignores migrations it does not know ("future" ones) by default; a schema from a
          // newer Slipway must fail instead, as the code here does not know what it means.
          .ignoreMigrationPatterns(new String[0])
          .failOnMissingLocations(true)
          .cleanDisabled(true)
          .load();
      for (MigrationInfo applied : flyway.info().applied()) {
        if (applied.getState() == MigrationState.FUTURE_SUCCESS || applied.getState() == MigrationState.FUTURE_FAILED) {
          throw new StoreException(operation,
              "the state store " + location.display() + " was written by a newer Slipway (schema version "
                  + applied.getVersion() + " is unknown to this one)",
              "upgrade Slipway, or use --store to point at another database");
        }
      }
      flyway.migrate();
    } catch (FlywayException e) {
      String reason = location.mask(e.getMessage());
      if (reason != null && reason.contains("non-empty schema")) {
        // Flyway's advice (baseline) would mix Slipway's tables into someone else's schema.
        throw new StoreException(operation, "the database at " + location.display()
            + " already holds tables that are not Slipway's", "point --store at a database of its own", e);
      }
      throw new StoreException(operation, "cannot migrate the state store " + location.display() + " (" + reason + ")",
          null, e);
    }
  }
}
