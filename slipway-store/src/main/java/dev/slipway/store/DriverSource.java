package dev.slipway.store;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Connections to one {@link StoreLocation}, straight from its driver: no {@code DriverManager}
 * lookup (which a shaded jar can break) and the location's properties (credentials, timeouts) on
 * every connection, Flyway's included.
 */
final class DriverSource implements DataSource {
  private final StoreLocation location;
  private final Driver driver;

  DriverSource(StoreLocation location) {
    this.location = location;
    this.driver = switch (location.kind()) {
      case H2 -> new org.h2.Driver();
      case POSTGRESQL -> new org.postgresql.Driver();
    };
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection connection = driver.connect(location.url(), location.properties());
    if (connection == null) {
      throw new SQLException("the driver does not accept the URL " + location.display(), "08001");
    }
    return connection;
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the store's credentials come from its URL");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // Nothing is logged here.
  }

  @Override
  public void setLoginTimeout(int seconds) {
    // Timeouts come from the location's properties.
  }

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("not a wrapper for " + type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }
}
