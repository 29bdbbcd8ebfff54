package dev.slipway.store.team;

import dev.slipway.store.StoreDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Statements with their parameters bound in order and their rows mapped: the team store's plumbing. */
final class Sql {
  interface Mapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private Sql() {}

  static <T> List<T> list(Connection c, Mapper<T> mapper, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = prepare(c, sql, params); ResultSet rs = s.executeQuery()) {
      List<T> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(mapper.map(rs));
      }
      return rows;
    }
  }

  static <T> Optional<T> one(Connection c, Mapper<T> mapper, String sql, Object... params) throws SQLException {
    List<T> rows = list(c, mapper, sql, params);
    if (rows.size() > 1) {
      throw new IllegalStateException("more than one row for " + sql);
    }
    return rows.stream().findFirst();
  }

  static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = prepare(c, sql, params)) {
      return s.executeUpdate();
    }
  }

  /**
   * Binds each parameter by its type; an {@link java.time.Instant} as a timestamp with time zone, a
   * {@code List<String>} as a text array, a {@link Null} as a typed NULL.
   */
  private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
    PreparedStatement s = StoreDatabase.prepare(c, sql);
    try {
      for (int i = 0; i < params.length; i++) {
        int index = i + 1;
        switch (params[i]) {
          case null -> s.setNull(index, java.sql.Types.VARCHAR);
          case Null n -> s.setNull(index, n.sqlType());
          case java.time.Instant t -> TeamRows.setInstant(s, index, t);
          case List<?> l -> s.setArray(index, c.createArrayOf("text", l.toArray()));
          case Id id -> TeamRows.setId(s, index, id.value());
          default -> s.setObject(index, params[i]);
        }
      }
      return s;
    } catch (SQLException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** A NULL of a given SQL type, where the type matters (a timestamp compared with IS NULL). */
  record Null(int sqlType) {
    static final Null TIMESTAMP = new Null(java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
  }

  /** A row id where 0 means "none" (NULL in the table). */
  record Id(long value) {}
}
