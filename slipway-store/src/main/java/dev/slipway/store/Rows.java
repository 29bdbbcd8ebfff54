package dev.slipway.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The column lists of each table and the mapping between rows and records. */
final class Rows {
  static final String RELEASE_COLUMNS =
      "id, environment, service, number, version, artifact_digest, config_json, strategy_json, created_at, created_by";
  static final String DEPLOYMENT_COLUMNS =
      "id, environment, service, from_release, to_release, strategy, state, phase, step, step_state_json, reason,"
          + " measurements_json, started_at, updated_at, finished_at, revision";
  static final String EVENT_COLUMNS =
      "id, occurred_at, environment, service, deployment_id, kind, message, details_json";

  private Rows() {}

  static Release release(ResultSet rs) throws SQLException {
    return new Release(
        rs.getString("id"),
        rs.getString("environment"),
        rs.getString("service"),
        rs.getInt("number"),
        rs.getString("version"),
        rs.getString("artifact_digest"),
        rs.getString("config_json"),
        rs.getString("strategy_json"),
        instant(rs, "created_at"),
        rs.getString("created_by"));
  }

  static Deployment deployment(ResultSet rs) throws SQLException {
    return new Deployment(
        rs.getLong("id"),
        rs.getString("environment"),
        rs.getString("service"),
        rs.getString("from_release"),
        rs.getString("to_release"),
        rs.getString("strategy"),
        DeploymentState.valueOf(rs.getString("state")),
        DeploymentPhase.valueOf(rs.getString("phase")),
        rs.getInt("step"),
        rs.getString("step_state_json"),
        rs.getString("reason"),
        rs.getString("measurements_json"),
        instant(rs, "started_at"),
        instant(rs, "updated_at"),
        instant(rs, "finished_at"),
        rs.getLong("revision"));
  }

  static StoredEvent event(ResultSet rs) throws SQLException {
    return new StoredEvent(
        rs.getLong("id"),
        instant(rs, "occurred_at"),
        rs.getString("environment"),
        rs.getString("service"),
        rs.getObject("deployment_id", Long.class),
        rs.getString("kind"),
        rs.getString("message"),
        rs.getString("details_json"));
  }

  static void setInstant(PreparedStatement s, int index, Instant time) throws SQLException {
    if (time == null) {
      s.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      s.setObject(index, OffsetDateTime.ofInstant(time, ZoneOffset.UTC));
    }
  }

  static void setLong(PreparedStatement s, int index, Long value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.BIGINT);
    } else {
      s.setLong(index, value);
    }
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
    return time == null ? null : time.toInstant();
  }
}
