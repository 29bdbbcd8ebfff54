package dev.slipway.store.audit;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The team database for these tests: {@code db/team} migrated into a fresh PostgreSQL database, as the
 * server's migrator does ({@code team_schema_history}).
 */
final class TeamSchema {
  private TeamSchema() {}

  static DataSource migrated(String url) {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setURL(url);
    Flyway.configure(TeamSchema.class.getClassLoader()).dataSource(source).locations("classpath:db/team")
        .table("team_schema_history").failOnMissingLocations(true).load().migrate();
    return source;
  }
}
