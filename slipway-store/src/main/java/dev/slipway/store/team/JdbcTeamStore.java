package dev.slipway.store.team;

import dev.slipway.store.StoreDatabase;
import dev.slipway.store.StoreException;
import dev.slipway.store.audit.AuditLog;
import dev.slipway.store.audit.NewAuditEntry;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@link TeamStore} on PostgreSQL, through a {@link StoreDatabase} whose schema
 * {@link TeamMigrations#migrate} brought up to date. Audit entries go through the {@link AuditLog}
 * on the very connection of the change, inside its transaction.
 */
public final class JdbcTeamStore implements TeamStore {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final String RUN_STATE = "message = COALESCE(?, message), release = COALESCE(?, release),"
      + " image = COALESCE(?, image)";

  private final StoreDatabase db;
  private final AuditLog audit;
  private final Clock clock;

  /**
   * @param db    a database whose team schema is migrated; the caller closes it
   * @param audit where the entries of changes go, in the change's transaction
   * @param clock stamps the times the store records (created, started, finished, decided)
   */
  public JdbcTeamStore(StoreDatabase db, AuditLog audit, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  // Users

  @Override
  public TeamUser addUser(String name, List<String> roles, String tokenSha256, String createdBy, NewAuditEntry entry)
      throws StoreException {
    requireHash(tokenSha256);
    String operation = "add user " + name;
    return change(operation, entry, c -> Sql.one(c, TeamRows::user,
        "INSERT INTO users (name, roles, token_sha256, created_at, created_by) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (name) DO NOTHING RETURNING *", name, List.copyOf(roles), tokenSha256, now(), createdBy)
        .orElseThrow(() -> new TeamConflictException(operation, "a user named " + name + " exists already",
            "choose another name, or change " + name + "'s roles instead")));
  }

  @Override
  public Optional<TeamUser> rotateToken(String name, String tokenSha256, NewAuditEntry entry) throws StoreException {
    requireHash(tokenSha256);
    return change("replace the token of " + name, entry, c -> Sql.one(c, TeamRows::user,
        "UPDATE users SET token_sha256 = ? WHERE name = ? RETURNING *", tokenSha256, name));
  }

  @Override
  public Optional<TeamUser> setRoles(String name, List<String> roles, NewAuditEntry entry) throws StoreException {
    return change("set the roles of " + name, entry, c -> Sql.one(c, TeamRows::user,
        "UPDATE users SET roles = ? WHERE name = ? RETURNING *", List.copyOf(roles), name));
  }

  @Override
  public Optional<TeamUser> userByTokenSha256(String tokenSha256) throws StoreException {
    return db.read("find the user of a token", c -> Sql.one(c, TeamRows::user,
        "SELECT * FROM users WHERE token_sha256 = ?", tokenSha256));
  }

  @Override
  public Optional<TeamUser> user(String name) throws StoreException {
    return db.read("read user " + name, c -> Sql.one(c, TeamRows::user, "SELECT * FROM users WHERE name = ?", name));
  }

  @Override
  public List<TeamUser> users() throws StoreException {
    return db.read("list the users", c -> Sql.list(c, TeamRows::user, "SELECT * FROM users ORDER BY name"));
  }

  @Override
  public long userCount() throws StoreException {
    return db.read("count the users", c -> Sql.one(c, rs -> rs.getLong(1), "SELECT count(*) FROM users").orElseThrow());
  }

  // Runs

  @Override
  public Run createRun(NewRun run, NewAuditEntry entry) throws StoreException {
    return change("record a " + run.kind() + " run in " + run.environment(), entry, c -> Sql.one(c, TeamRows::run,
        "INSERT INTO runs (kind, environment, service, state, image, requested_by, started_at, promotion_id,"
            + " request_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
        run.kind(), run.environment(), run.service(), Run.PENDING, run.image(), run.requestedBy(), now(),
        new Sql.Id(run.promotionId()), run.requestJson()).orElseThrow());
  }

  @Override
  public Optional<Run> transitionRun(long id, String expectedState, RunChange to, NewAuditEntry entry)
      throws StoreException {
    return change("move run " + id + " to " + to.state(), entry, c -> Sql.one(c, TeamRows::run,
        "UPDATE runs SET state = ?, " + RUN_STATE + ", finished_at = COALESCE(?, finished_at)"
            + " WHERE id = ? AND state = ? RETURNING *",
        to.state(), to.message(), to.release(), to.image(), to.finished() ? now() : Sql.Null.TIMESTAMP, id,
        expectedState));
  }

  @Override
  public Optional<Run> run(long id) throws StoreException {
    return db.read("read run " + id, c -> Sql.one(c, TeamRows::run, "SELECT * FROM runs WHERE id = ?", id));
  }

  @Override
  public List<Run> activeRuns() throws StoreException {
    return db.read("list the active runs", c -> Sql.list(c, TeamRows::run,
        "SELECT * FROM runs WHERE finished_at IS NULL ORDER BY id"));
  }

  @Override
  public List<Run> runs(String environment, int limit) throws StoreException {
    return db.read("list the runs in " + environment, c -> Sql.list(c, TeamRows::run,
        "SELECT * FROM runs WHERE environment = ? ORDER BY id DESC LIMIT ?", environment, limit));
  }

  @Override
  public List<Run> runsOfPromotion(long promotionId) throws StoreException {
    return db.read("list the runs of promotion " + promotionId, c -> Sql.list(c, TeamRows::run,
        "SELECT * FROM runs WHERE promotion_id = ? ORDER BY id", promotionId));
  }

  // Releases

  @Override
  public ServerRelease recordRelease(ServerRelease r, NewAuditEntry entry) throws StoreException {
    return change("record release " + r.release() + " of " + r.service() + " in " + r.environment(), entry,
        c -> Sql.one(c, TeamRows::release,
            "INSERT INTO server_releases (environment, service, release, image, config_digest, config_json, state,"
                + " live_since, analysis, rolled_back_at, run_id, recorded_seq, recorded_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, nextval('server_releases_recorded'), ?)"
                + " ON CONFLICT (environment, service, release) DO UPDATE SET image = EXCLUDED.image,"
                + " config_digest = EXCLUDED.config_digest, config_json = EXCLUDED.config_json,"
                + " state = EXCLUDED.state, live_since = EXCLUDED.live_since, analysis = EXCLUDED.analysis,"
                + " rolled_back_at = EXCLUDED.rolled_back_at, run_id = EXCLUDED.run_id,"
                + " recorded_seq = EXCLUDED.recorded_seq, recorded_at = EXCLUDED.recorded_at RETURNING *",
            r.environment(), r.service(), r.release(), r.image(), r.configDigest(), r.configJson(), r.state(),
            orNull(r.liveSince()), r.analysis(), orNull(r.rolledBackAt()), new Sql.Id(r.runId()), now())
            .orElseThrow());
  }

  @Override
  public Optional<ServerRelease> markRolledBack(String environment, String service, String release, Instant at,
      NewAuditEntry entry) throws StoreException {
    return change("mark release " + release + " of " + service + " in " + environment + " rolled back", entry,
        c -> Sql.one(c, TeamRows::release, "UPDATE server_releases SET state = 'rolled-back', rolled_back_at = ?"
            + " WHERE environment = ? AND service = ? AND release = ? RETURNING *", at, environment, service, release));
  }

  @Override
  public Optional<ServerRelease> currentRelease(String environment, String service) throws StoreException {
    return db.read("read the release of " + service + " in " + environment, c -> Sql.one(c, TeamRows::release,
        "SELECT * FROM server_releases WHERE environment = ? AND service = ? ORDER BY recorded_seq DESC LIMIT 1",
        environment, service));
  }

  @Override
  public List<ServerRelease> releases(String environment) throws StoreException {
    return db.read("list the releases in " + environment, c -> Sql.list(c, TeamRows::release,
        "SELECT * FROM server_releases WHERE environment = ? ORDER BY recorded_seq DESC", environment));
  }

  // Promotions

  @Override
  public Promotion createPromotion(NewPromotion p, NewAuditEntry entry) throws StoreException {
    return change("record a promotion from " + p.from() + " to " + p.to(), entry, c -> Sql.one(c, TeamRows::promotion,
        "INSERT INTO promotions (from_env, to_env, state, requested_by, requested_at, view_json)"
            + " VALUES (?, ?, ?, ?, ?, ?) RETURNING *", p.from(), p.to(), p.state(), p.requestedBy(), now(),
        p.viewJson()).orElseThrow());
  }

  @Override
  public Optional<Promotion> transitionPromotion(long id, String expectedState, PromotionChange to,
      NewAuditEntry entry) throws StoreException {
    return change("move promotion " + id + " to " + to.state(), entry, c -> Sql.one(c, TeamRows::promotion,
        "UPDATE promotions SET state = ?, outcome = COALESCE(?, outcome), view_json = COALESCE(?, view_json),"
            + " finished_at = COALESCE(?, finished_at) WHERE id = ? AND state = ? RETURNING *",
        to.state(), to.outcome(), to.viewJson(), to.finished() ? now() : Sql.Null.TIMESTAMP, id, expectedState));
  }

  @Override
  public Optional<Promotion> promotion(long id) throws StoreException {
    return db.read("read promotion " + id, c -> Sql.one(c, TeamRows::promotion,
        "SELECT * FROM promotions WHERE id = ?", id));
  }

  @Override
  public List<Promotion> promotions(String environment, String state) throws StoreException {
    return db.read("list the promotions", c -> Sql.list(c, TeamRows::promotion,
        "SELECT * FROM promotions WHERE (CAST(? AS TEXT) IS NULL OR from_env = ? OR to_env = ?)"
            + " AND (CAST(? AS TEXT) IS NULL OR state = ?) ORDER BY id DESC",
        environment, environment, environment, state, state));
  }

  @Override
  public Approval decide(long promotionId, String user, String decision, String comment, NewAuditEntry entry)
      throws StoreException {
    String operation = "record " + user + "'s decision on promotion " + promotionId;
    return change(operation, entry, c -> {
      Optional<Approval> added = Sql.one(c, TeamRows::approval,
          "INSERT INTO approvals (promotion_id, user_name, decision, comment, at) VALUES (?, ?, ?, ?, ?)"
              + " ON CONFLICT (promotion_id, user_name) DO NOTHING RETURNING *",
          promotionId, user, decision, comment, now());
      if (added.isPresent()) {
        return added.get();
      }
      String before = Sql.one(c, rs -> rs.getString(1),
          "SELECT decision FROM approvals WHERE promotion_id = ? AND user_name = ?", promotionId, user).orElse("decided");
      throw new TeamConflictException(operation, user + " has already " + before + " promotion " + promotionId,
          "one decision per user counts; another user must give the next");
    });
  }

  @Override
  public List<Approval> approvals(long promotionId) throws StoreException {
    return db.read("list the decisions on promotion " + promotionId, c -> Sql.list(c, TeamRows::approval,
        "SELECT * FROM approvals WHERE promotion_id = ? ORDER BY at, user_name", promotionId));
  }

  // Freezes

  @Override
  public Freeze freeze(String environment, Instant until, String reason, String by, NewAuditEntry entry)
      throws StoreException {
    return change("freeze " + environment, entry, c -> Sql.one(c, TeamRows::freeze,
        "INSERT INTO freezes (environment, until_at, reason, set_by, set_at) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (environment) DO UPDATE SET until_at = EXCLUDED.until_at, reason = EXCLUDED.reason,"
            + " set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at RETURNING *",
        environment, until, reason, by, now()).orElseThrow());
  }

  @Override
  public boolean unfreeze(String environment, NewAuditEntry entry) throws StoreException {
    return change("unfreeze " + environment, entry,
        c -> Sql.update(c, "DELETE FROM freezes WHERE environment = ?", environment) > 0);
  }

  @Override
  public Optional<Freeze> currentFreeze(String environment, Instant now) throws StoreException {
    return db.read("read the freeze of " + environment, c -> Sql.one(c, TeamRows::freeze,
        "SELECT * FROM freezes WHERE environment = ? AND until_at > ?", environment, now));
  }

  @Override
  public List<Freeze> currentFreezes(Instant now) throws StoreException {
    return db.read("list the freezes", c -> Sql.list(c, TeamRows::freeze,
        "SELECT * FROM freezes WHERE until_at > ? ORDER BY environment", now));
  }

  // Server state

  @Override
  public Optional<String> serverState(String key) throws StoreException {
    return db.read("read server state " + key, c -> Sql.one(c, rs -> rs.getString(1),
        "SELECT value FROM server_state WHERE key = ?", key));
  }

  @Override
  public void putServerState(String key, String value, NewAuditEntry entry) throws StoreException {
    change("write server state " + key, entry, c -> Sql.update(c,
        "INSERT INTO server_state (key, value, updated_at) VALUES (?, ?, ?)"
            + " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at",
        key, value, now()));
  }

  /**
   * A write whose audit entry, if any, is appended on the same connection before the commit: an
   * append that fails rolls the change back. Nothing is appended when nothing changed (an empty
   * Optional, false).
   */
  private <T> T change(String operation, NewAuditEntry entry, StoreDatabase.Work<T> work) throws StoreException {
    return db.write(operation, c -> {
      T result = work.run(c);
      boolean changed = !(result instanceof Optional<?> o && o.isEmpty()) && !Boolean.FALSE.equals(result);
      if (changed && entry != null) {
        append(c, entry);
      }
      return result;
    });
  }

  private void append(Connection c, NewAuditEntry entry) throws java.sql.SQLException, StoreException {
    audit.append(c, entry);
  }

  /** Millisecond precision, which every reader (and the audit chain) keeps exactly. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static Object orNull(Instant time) {
    return time == null ? Sql.Null.TIMESTAMP : time;
  }

  private static void requireHash(String tokenSha256) {
    if (tokenSha256 == null || !SHA256_HEX.matcher(tokenSha256).matches()) {
      throw new IllegalArgumentException("a token is stored only as its SHA-256 in 64 lowercase hex digits");
    }
  }
}
