package dev.slipway.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Brings the schema up to date, and refuses a schema from a newer Slipway.
 *
 * <p>The control plane opens the store at every start. Starting Flyway costs about half a second in
 * a fresh JVM, so when the history table already lists exactly the migrations shipped here, all
 * applied successfully, Flyway is not started at all. Anything else (a new database, a pending or
 * failed migration, an unknown one) goes through {@link FlywayMigrator}, which validates everything.
 */
final class Migrations {
  /** Away from {@code db/migration}, where an application on the same class path keeps its own. */
  static final String LOCATION = "db/slipway";
  /** Not Flyway's default name, so an application's own Flyway history in the same database stays apart. */
  static final String HISTORY_TABLE = "slipway_schema_history";
  /** The versions of the scripts in {@link #LOCATION}; MigrationsTest keeps the two in step. */
  static final List<String> VERSIONS = List.of("1", "2", "3");

  private Migrations() {}

  static void migrate(Database db) throws StoreException {
    Set<String> applied = appliedVersions(db);
    if (applied != null && applied.equals(Set.copyOf(VERSIONS))) {
      return;
    }
    FlywayMigrator.migrate(db);
  }

  /**
   * The versions applied successfully, or null when Flyway must look: there is no history table
   * yet, it cannot be read, or a migration in it failed.
   */
  static Set<String> appliedVersions(Database db) throws StoreException {
    return db.read("read the schema version", c -> {
      // Asking first keeps a new H2 database from logging the missing table to its trace file.
      try (ResultSet tables = c.getMetaData().getTables(null, null, HISTORY_TABLE, null)) {
        if (!tables.next()) {
          return null;
        }
      }
      Savepoint before = c.setSavepoint();
      try (Statement s = c.createStatement()) {
        s.setQueryTimeout(Database.QUERY_TIMEOUT_SECONDS);
        try (ResultSet rs = s.executeQuery("SELECT \"version\", \"success\" FROM \"" + HISTORY_TABLE
            + "\" WHERE \"version\" IS NOT NULL")) {
          Set<String> versions = new HashSet<>();
          while (rs.next()) {
            if (!rs.getBoolean(2)) {
              return null;
            }
            versions.add(rs.getString(1));
          }
          return versions;
        }
      } catch (SQLException e) {
        // The table is in another schema, say. Whatever it is, Flyway reads the same table next and
        // reports the problem in its own words.
        c.rollback(before);
        return null;
      }
    });
  }
}
