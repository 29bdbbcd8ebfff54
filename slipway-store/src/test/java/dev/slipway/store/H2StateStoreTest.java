package dev.slipway.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the default H2 file database. */
class H2StateStoreTest extends StateStoreContract {
  @TempDir
  Path stateDir;

  @Override
  protected StateStore openStore() throws StoreException {
    return StateStore.open(null, stateDir);
  }

  @Override
  protected Connection connect() throws SQLException, StoreException {
    Connection c = new DriverSource(StoreLocation.h2(stateDir)).getConnection();
    c.setAutoCommit(false);
    return c;
  }
}
