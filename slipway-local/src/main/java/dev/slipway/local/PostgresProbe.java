package dev.slipway.local;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.Driver;

/** Talks to a PostgreSQL server over JDBC with short timeouts. */
final class PostgresProbe {

  private static final Driver DRIVER = new Driver();

  private PostgresProbe() {}

  /**
   * @param jdbcUrl may carry parameters ({@code sslmode}); user and password come separately
   */
  static Connection connect(String jdbcUrl, String user, String password, int timeoutSeconds) throws SQLException {
    Properties p = new Properties();
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    p.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
    p.setProperty("loginTimeout", Integer.toString(timeoutSeconds));
    p.setProperty("socketTimeout", Integer.toString(Math.max(5, timeoutSeconds)));
    p.setProperty("ApplicationName", "slipway");
    Connection c = DRIVER.connect(jdbcUrl, p);
    if (c == null) {
      throw new SQLException("not a PostgreSQL JDBC URL: " + jdbcUrl);
    }
    return c;
  }

  /** Connects and runs {@code SELECT 1}; any failure means unhealthy. */
  static boolean healthy(String jdbcUrl, String user, String password) {
    try (Connection c = connect(jdbcUrl, user, password, 2);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT 1")) {
      return rs.next() && rs.getInt(1) == 1;
    } catch (SQLException e) {
      return false;
    }
  }
}
