package dev.slipway.store.team;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** The mapping between the team tables' rows and their records. */
final class TeamRows {
  private TeamRows() {}

  static TeamUser user(ResultSet rs) throws SQLException {
    Array roles = rs.getArray("roles");
    try {
      return new TeamUser(rs.getString("name"), List.of((String[]) roles.getArray()), instant(rs, "created_at"),
          rs.getString("created_by"));
    } finally {
      roles.free();
    }
  }

  static Run run(ResultSet rs) throws SQLException {
    return new Run(rs.getLong("id"), rs.getString("kind"), rs.getString("environment"), rs.getString("service"),
        rs.getString("state"), rs.getString("message"), rs.getString("release"), rs.getString("image"),
        rs.getString("requested_by"), instant(rs, "started_at"), instant(rs, "finished_at"),
        rs.getLong("promotion_id"), rs.getString("request_json"));
  }

  static ServerRelease release(ResultSet rs) throws SQLException {
    return new ServerRelease(rs.getString("environment"), rs.getString("service"), rs.getString("release"),
        rs.getString("image"), rs.getString("config_digest"), rs.getString("config_json"), rs.getString("state"),
        instant(rs, "live_since"), rs.getString("analysis"), instant(rs, "rolled_back_at"), rs.getLong("run_id"),
        instant(rs, "recorded_at"));
  }

  static Promotion promotion(ResultSet rs) throws SQLException {
    return new Promotion(rs.getLong("id"), rs.getString("from_env"), rs.getString("to_env"), rs.getString("state"),
        rs.getString("requested_by"), instant(rs, "requested_at"), instant(rs, "finished_at"),
        rs.getString("outcome"), rs.getString("view_json"));
  }

  static Approval approval(ResultSet rs) throws SQLException {
    return new Approval(rs.getLong("promotion_id"), rs.getString("user_name"), rs.getString("decision"),
        rs.getString("comment"), instant(rs, "at"));
  }

  static Freeze freeze(ResultSet rs) throws SQLException {
    return new Freeze(rs.getString("environment"), instant(rs, "until_at"), rs.getString("reason"),
        rs.getString("set_by"), instant(rs, "set_at"));
  }

  static void setInstant(PreparedStatement s, int index, Instant time) throws SQLException {
    if (time == null) {
      s.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      s.setObject(index, OffsetDateTime.ofInstant(time, ZoneOffset.UTC));
    }
  }

  /** 0 means "none" in the records and NULL in the tables, so that foreign keys hold. */
  static void setId(PreparedStatement s, int index, long id) throws SQLException {
    if (id == 0) {
      s.setNull(index, Types.BIGINT);
    } else {
      s.setLong(index, id);
    }
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
    return time == null ? null : time.toInstant();
  }
}
