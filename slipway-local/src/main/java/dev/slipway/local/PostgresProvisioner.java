package dev.slipway.local;

import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.Durations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Waits until a PostgreSQL server we started accepts connections, then makes sure the application's
 * role (with its generated password) and database exist. Idempotent: safe on every start.
 */
final class PostgresProvisioner {

  static final String SUPERUSER = "postgres";
  private static final String INVALID_PASSWORD = "28P01";
  private static final Duration RETRY = Duration.ofMillis(100);

  private PostgresProvisioner() {}

  static void awaitAndProvision(String resource, int port, String superPassword, String user, String userPassword,
      String database, Supervisor server, Duration timeout) throws TargetException {
    String url = "jdbc:postgresql://" + Endpoints.LOOPBACK + ":" + port + "/postgres";
    long deadline = System.nanoTime() + timeout.toNanos();
    SQLException last = null;
    while (true) {
      if (server.exits() > 0) {
        throw startFailed(server, resource + " exited while starting", "the log lines below say why");
      }
      Connection c = null;
      try {
        c = PostgresProbe.connect(url, SUPERUSER, superPassword, 2);
      } catch (SQLException e) {
        if (INVALID_PASSWORD.equals(e.getSQLState())) {
          throw startFailed(server, "the superuser password in secrets.json does not match the data of `"
              + resource + "`", "restore .slipway/secrets.json, or delete the data with `slipway down --volumes`");
        }
        last = e;
      }
      if (c != null) {
        try (Connection conn = c) {
          provision(conn, user, userPassword, database);
          return;
        } catch (SQLException e) {
          throw startFailed(server, "cannot create the role or database of `" + resource + "`: " + e.getMessage(),
              "check `username` and `database` of resource `" + resource + "`");
        }
      }
      if (System.nanoTime() - deadline >= 0) {
        throw startFailed(server, resource + " did not accept connections within " + Durations.human(timeout) + (last == null ? "" : " (" + last.getMessage() + ")"), "the log lines below may say why");
      }
      sleep();
    }
  }

  static void provision(Connection c, String user, String password, String database) throws SQLException {
    try (Statement st = c.createStatement()) {
      if (!user.equals(SUPERUSER)) {
        // Setting the password every time also repairs a role whose password drifted.
        String verb = exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", user) ? "ALTER" : "CREATE";
        st.execute(verb + " ROLE " + ident(user) + " WITH LOGIN PASSWORD " + literal(password));
      }
      if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
        st.execute("CREATE DATABASE " + ident(database) + " OWNER " + ident(user));
      }
    }
  }

  private static boolean exists(Connection c, String sql, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  static String ident(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private static TargetException startFailed(Supervisor server, String message, String hint) {
    return server.failStart(message, hint);
  }

  private static void sleep() throws TargetException {
    try {
      Thread.sleep(RETRY);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TargetException(null, "interrupted while waiting for PostgreSQL", null, e);
    }
  }
}
