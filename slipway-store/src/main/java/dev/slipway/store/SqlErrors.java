package dev.slipway.store;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/** Turns driver exceptions into {@link StoreException}s that say what to do, with passwords masked. */
final class SqlErrors {
  private static final int H2_DATABASE_ALREADY_OPEN = 90020;
  private static final int H2_FILE_CORRUPTED = 90030;
  private static final int H2_FILE_VERSION_ERROR = 90048;

  private SqlErrors() {}

  static boolean uniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  /** The connection is gone (the server went away, the network broke): drop it and reconnect. */
  static boolean connectionLost(SQLException e) {
    String state = e.getSQLState();
    return e instanceof SQLNonTransientConnectionException
        || e instanceof SQLTransientConnectionException
        || (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")));
  }

  /** A failure while connecting. */
  static StoreException cannotOpen(StoreLocation location, String operation, SQLException e) {
    String where = location.display();
    String reason = location.mask(e.getMessage());
    if (location.kind() == StoreLocation.Kind.H2) {
      return switch (e.getErrorCode()) {
        case H2_DATABASE_ALREADY_OPEN -> new StoreException(operation,
            "the state store " + where + " is in use by another process",
            "is a control plane running? use `slipway status`", e);
        case H2_FILE_CORRUPTED -> new StoreException(operation,
            "the state store " + where + " is corrupted (" + firstLine(reason) + ")",
            "restore " + where + " from a backup, or move it aside to start afresh (this forgets every release)", e);
        case H2_FILE_VERSION_ERROR -> new StoreException(operation,
            "the state store " + where + " was written by an incompatible version of H2 (" + firstLine(reason) + ")",
            "open it with the Slipway that wrote it", e);
        default -> new StoreException(operation, "cannot open the state store " + where + " (" + firstLine(reason) + ")",
            "check that " + where + " is readable and writable", e);
      };
    }
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.startsWith("28")) {
      return new StoreException(operation, "the state store at " + where + " refused the login (" + firstLine(reason) + ")",
          "check the user and password in --store", e);
    }
    if (state.equals("3D000")) {
      return new StoreException(operation, "the state store at " + where + " has no such database (" + firstLine(reason) + ")",
          "create it (createdb) or fix the database name in --store", e);
    }
    return new StoreException(operation, "cannot reach the state store at " + where + " (" + networkReason(e, reason) + ")",
        "check --store and that PostgreSQL is running", e);
  }

  /** A failure of a statement on an open connection. */
  static StoreException translate(StoreLocation location, String operation, SQLException e) {
    String where = location.display();
    String reason = firstLine(location.mask(e.getMessage()));
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (connectionLost(e)) {
      return new StoreException(operation, "lost the connection to the state store at " + where + " (" + networkReason(e, reason) + ")",
          "check that the database is up; the next call reconnects", e);
    }
    if (state.equals("57014") || state.equals("HYT00") || state.equals("55P03")) {
      return new StoreException(operation, "the state store at " + where + " did not answer within "
          + Database.QUERY_TIMEOUT_SECONDS + " s (" + reason + ")",
          "is the database overloaded, or is another process holding a lock in it?", e);
    }
    if (state.equals("22001")) {
      return new StoreException(operation, "a value is too long for the state store (" + reason + ")", null, e);
    }
    if (state.equals("23503") || state.equals("23506")) {
      return new StoreException(operation, "it refers to something the state store does not hold (" + reason + ")", null, e);
    }
    return new StoreException(operation, "the state store at " + where + " failed (" + reason + ")", null, e);
  }

  /** The network cause in a few words ("connection refused"), else the driver's message. */
  private static String networkReason(Throwable e, String fallback) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof UnknownHostException) {
        return "unknown host " + t.getMessage();
      }
      if (t instanceof NoRouteToHostException) {
        return "no route to host";
      }
      if (t instanceof SocketTimeoutException) {
        return "timed out";
      }
    }
    return firstLine(fallback);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no details";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}
