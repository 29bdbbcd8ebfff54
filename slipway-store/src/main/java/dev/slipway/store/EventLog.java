package dev.slipway.store;

import static dev.slipway.store.Database.prepare;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The SQL of the append-only event log; there is deliberately none that updates or deletes. */
final class EventLog {
  private EventLog() {}

  static long append(Connection c, NewEvent e, Instant now) throws SQLException, StoreException {
    long id = nextId(c);
    try (PreparedStatement s = prepare(c, "INSERT INTO events (" + Rows.EVENT_COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setLong(1, id);
      Rows.setInstant(s, 2, now);
      s.setString(3, e.environment());
      s.setString(4, e.service());
      Rows.setLong(s, 5, e.deploymentId());
      s.setString(6, e.kind());
      s.setString(7, e.message());
      s.setString(8, e.detailsJson());
      s.executeUpdate();
      return id;
    } catch (SQLException failure) {
      String state = failure.getSQLState();
      if ("23503".equals(state) || "23506".equals(state)) { // PostgreSQL's and H2's "no such parent row"
        throw new StoreException("append a " + e.kind() + " event in " + e.environment(),
            "there is no deployment #" + e.deploymentId(), null, failure);
      }
      throw failure;
    }
  }

  static List<StoredEvent> read(Connection c, String environment, String service, long afterId, int limit)
      throws SQLException {
    String sql = "SELECT " + Rows.EVENT_COLUMNS + " FROM events WHERE environment = ? AND id > ?"
        + (service == null ? "" : " AND service = ?") + " ORDER BY id LIMIT ?";
    try (PreparedStatement s = prepare(c, sql)) {
      int i = 1;
      s.setString(i++, environment);
      s.setLong(i++, afterId);
      if (service != null) {
        s.setString(i++, service);
      }
      s.setInt(i, limit);
      List<StoredEvent> events = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          events.add(Rows.event(rs));
        }
      }
      return events;
    }
  }

  /**
   * The next event id, from a counter row rather than a sequence: a sequence hands out ids at insert
   * but they become visible at commit, so with two writers id 8 could appear after a reader past id
   * 9 has moved on, and that reader would never see it. The counter's row lock holds a second
   * writer until the first commits, so ids become visible in order. Readers are not held.
   */
  private static long nextId(Connection c) throws SQLException {
    try (PreparedStatement s = prepare(c, "UPDATE event_ids SET last_id = last_id + 1")) {
      s.executeUpdate();
    }
    try (PreparedStatement s = prepare(c, "SELECT last_id FROM event_ids"); ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("the event_ids table is empty");
      }
      return rs.getLong(1);
    }
  }
}
