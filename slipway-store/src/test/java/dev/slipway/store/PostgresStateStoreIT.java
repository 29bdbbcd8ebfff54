package dev.slipway.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on PostgreSQL: a fresh database per test on one server per class. */
class PostgresStateStoreIT extends StateStoreContract {
  @RegisterExtension
  static final PostgresServer postgres = new PostgresServer();

  @TempDir
  Path stateDir;
  private String url;

  @BeforeEach
  void createDatabase() throws SQLException {
    url = postgres.newDatabase();
  }

  @Override
  protected StateStore openStore() throws StoreException {
    return StateStore.open(url, stateDir);
  }

  @Override
  protected Connection connect() throws SQLException {
    Connection c = new DriverSource(StoreLocation.postgres(url)).getConnection();
    c.setAutoCommit(false);
    return c;
  }
}
