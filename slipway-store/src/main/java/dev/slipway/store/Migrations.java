package dev.slipway.store;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/** Brings the schema up to date with Flyway, and refuses a schema from a newer Slipway. */
final class Migrations {
  /** Away from {@code db/migration}, where an application on the same class path keeps its own. */
  static final String LOCATION = "classpath:db/slipway";
  /** Not Flyway's default name, so an application's own Flyway history in the same database stays apart. */
  static final String HISTORY_TABLE = "slipway_schema_history";

  private Migrations() {}

  static void migrate(Database database) throws StoreException {
    StoreLocation location = database.location();
    String operation = "migrate the state store";
    try {
      Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
          .dataSource(database.source())
          .locations(LOCATION)
          .table(HISTORY_TABLE)
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
      String hint = reason != null && reason.contains("non-empty schema")
          ? "point --store at a database that holds nothing but Slipway's state"
          : null;
      throw new StoreException(operation, "cannot migrate the state store " + location.display() + " (" + reason + ")", hint, e);
    }
  }
}
