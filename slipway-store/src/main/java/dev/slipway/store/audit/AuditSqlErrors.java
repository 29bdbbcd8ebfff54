package dev.slipway.store.audit;

import dev.slipway.store.StoreException;
import java.sql.SQLException;

/** Driver exceptions of the audit log as {@link StoreException}s that say what to do. */
final class AuditSqlErrors {
  private AuditSqlErrors() {}

  static StoreException translate(String operation, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String reason = firstLine(e.getMessage());
    if (state.startsWith("08")) {
      return new StoreException(operation, "cannot reach the team database (" + reason + ")",
          "check that its PostgreSQL is running", e);
    }
    if (state.equals("42P01") || state.equals("55000")) {
      return new StoreException(operation, "the team database holds no audit trail (" + reason + ")",
          "the server creates it when it starts (db/team migrations): start it against this database", e);
    }
    if (state.equals("57014") || state.equals("55P03")) {
      return new StoreException(operation, "the team database did not answer within "
          + JdbcAuditLog.QUERY_TIMEOUT_SECONDS + " s (" + reason + ")",
          "is the database overloaded, or is another process holding the audit trail's head locked?", e);
    }
    return new StoreException(operation, "the team database failed (" + reason + ")", null, e);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no details";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}
