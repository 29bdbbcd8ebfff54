package dev.slipway.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh database per test for the store contracts ({@link StateStoreContract}, {@link LeaseContract}):
 * H2 in the test's state directory, or a new PostgreSQL database when the subclass names one. Every
 * store a test opens is closed after it.
 */
abstract class StoreFixture {
  @TempDir
  protected Path stateDir;
  private String url;
  private final List<StateStore> opened = new ArrayList<>();

  /** This test's database URL, as for {@code --store}: null for the default H2 file database. */
  protected abstract String newDatabase() throws SQLException;

  @BeforeEach
  final void createDatabase() throws SQLException {
    url = newDatabase();
  }

  /** The URL of this test's database; null for H2. */
  protected final String url() {
    return url;
  }

  /** Opens a store on this test's database; called again, it opens the same database again. Not closed. */
  protected final StateStore openStore() throws StoreException {
    return StateStore.open(url, stateDir);
  }

  /** A store opened on this test's database, closed after the test. */
  protected final StateStore open() throws StoreException {
    StateStore s = openStore();
    opened.add(s);
    return s;
  }

  /** A plain JDBC connection to this test's database, without auto-commit, for what the API cannot do. */
  protected final Connection connect() throws SQLException, StoreException {
    Connection c = new DriverSource(StoreLocation.of(url, stateDir)).getConnection();
    c.setAutoCommit(false);
    return c;
  }

  @AfterEach
  protected final void closeAll() {
    opened.forEach(StateStore::close);
    opened.clear();
  }
}
