package dev.slipway.store.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.store.PostgresServer;
import dev.slipway.store.StoreDatabase;
import dev.slipway.store.StoreException;
import dev.slipway.store.audit.JdbcAuditLog;
import dev.slipway.store.audit.NewAuditEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The team store's contract on a real PostgreSQL, a fresh database per test, with the real audit
 * log: "committed together" is observed in its table, and its failure is a real one (a trigger that
 * refuses the insert).
 */
class JdbcTeamStoreIT {
  @RegisterExtension
  static final PostgresServer postgres = new PostgresServer();

  private final List<StoreDatabase> opened = new ArrayList<>();
  private String url;
  private StoreDatabase db;
  private TeamStore store;

  @BeforeEach
  void setUp() throws Exception {
    url = postgres.newDatabase();
    db = open();
    TeamMigrations.migrate(db);
    store = new JdbcTeamStore(db, new JdbcAuditLog(db.dataSource()), Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    opened.forEach(StoreDatabase::close);
  }

  @Test
  void migrate_again_changesNothing_andKeepsItsOwnHistoryTable() throws Exception {
    store.addUser("alice", List.of("deployer"), sha256("slw_a"), "admin", null);
    String applied = query("SELECT string_agg(version, ',' ORDER BY installed_rank) FROM team_schema_history WHERE success");

    TeamMigrations.migrate(db);

    assertThat(store.userCount()).isEqualTo(1);
    assertThat(applied).startsWith("1");
    assertThat(query("SELECT string_agg(version, ',' ORDER BY installed_rank) FROM team_schema_history WHERE success"))
        .isEqualTo(applied);
  }

  @Test
  void transitionRun_fromAStaleState_changesNothingAndAppendsNothing() throws Exception {
    Run run = store.createRun(new NewRun("deploy", "staging", "api", null, "alice", 0, "{}"), entry("run requested"));
    assertThat(run.state()).isEqualTo(Run.PENDING);
    assertThat(store.activeRuns()).extracting(Run::id).containsExactly(run.id());

    Optional<Run> running = store.transitionRun(run.id(), "pending", RunChange.to("running").withMessage("rolling"),
        entry("run started"));
    Optional<Run> stale = store.transitionRun(run.id(), "pending", RunChange.finish("failed", "crashed"),
        entry("run failed"));

    assertThat(running).get().extracting(Run::state, Run::message).containsExactly("running", "rolling");
    assertThat(stale).isEmpty();
    assertThat(store.run(run.id())).get().extracting(Run::state, Run::finishedAt).containsExactly("running", null);
    assertThat(auditActions()).containsExactly("run requested", "run started");

    Run done = store.transitionRun(run.id(), "running", RunChange.finish("succeeded", "live").withRelease("r2", "img@sha256:1"),
        null).orElseThrow();
    assertThat(done.finished()).isTrue();
    assertThat(done).extracting(Run::message, Run::release, Run::image).containsExactly("live", "r2", "img@sha256:1");
    assertThat(store.activeRuns()).isEmpty();
    assertThat(store.runs("staging", 10)).containsExactly(done);
  }

  @Test
  void transitionRun_racingFromTwoConnections_letsExactlyOneWin() throws Exception {
    Run run = store.createRun(new NewRun("deploy", "staging", "api", null, "alice", 0, "{}"), null);
    TeamStore other = opened(Clock.systemUTC());
    CountDownLatch start = new CountDownLatch(1);
    List<Callable<Optional<Run>>> racers = List.of(
        () -> { start.await(); return store.transitionRun(run.id(), "pending", RunChange.to("running"), entry("a")); },
        () -> { start.await(); return other.transitionRun(run.id(), "pending", RunChange.to("running"), entry("b")); });

    List<Optional<Run>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      List<Future<Optional<Run>>> futures = racers.stream().map(pool::submit).toList();
      start.countDown();
      for (Future<Optional<Run>> f : futures) {
        results.add(f.get());
      }
    }

    assertThat(results).filteredOn(Optional::isPresent).hasSize(1);
    assertThat(auditActions()).hasSize(1);
  }

  @Test
  void transitionPromotion_fromAStaleState_changesNothing() throws Exception {
    Promotion p = store.createPromotion(new NewPromotion("staging", "production", "waiting", "alice", "{\"items\":[]}"),
        entry("promotion requested"));

    Optional<Promotion> rejected = store.transitionPromotion(p.id(), "waiting",
        PromotionChange.finish("rejected", "bob: not today"), entry("promotion rejected"));
    Optional<Promotion> lateStart = store.transitionPromotion(p.id(), "waiting", PromotionChange.to("running"),
        entry("promotion started"));

    assertThat(rejected).get().extracting(Promotion::state, Promotion::outcome).containsExactly("rejected", "bob: not today");
    assertThat(rejected.get().finished()).isTrue();
    assertThat(lateStart).isEmpty();
    assertThat(store.promotion(p.id())).get().extracting(Promotion::state, Promotion::viewJson)
        .containsExactly("rejected", "{\"items\":[]}");
    assertThat(auditActions()).containsExactly("promotion requested", "promotion rejected");
    assertThat(store.promotions("production", null)).extracting(Promotion::id).containsExactly(p.id());
    assertThat(store.promotions("staging", "rejected")).extracting(Promotion::id).containsExactly(p.id());
    assertThat(store.promotions(null, "waiting")).isEmpty();
    assertThat(store.promotions("dev", null)).isEmpty();
  }

  @Test
  void decide_twiceByOneUser_isRefused_andCountsOnce() throws Exception {
    Promotion p = store.createPromotion(new NewPromotion("staging", "production", "waiting", "alice", "{}"), null);
    store.decide(p.id(), "bob", Approval.APPROVED, "looks good", entry("approved by bob"));

    assertThatThrownBy(() -> store.decide(p.id(), "bob", Approval.REJECTED, "changed my mind", entry("rejected by bob")))
        .isInstanceOf(TeamConflictException.class)
        .hasMessage("bob has already approved promotion " + p.id()
            + "; one decision per user counts; another user must give the next");
    store.decide(p.id(), "carol", Approval.APPROVED, null, entry("approved by carol"));

    assertThat(store.approvals(p.id())).extracting(Approval::user, Approval::decision, Approval::comment)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("bob", "approved", "looks good"),
            org.assertj.core.groups.Tuple.tuple("carol", "approved", null));
    assertThat(auditActions()).containsExactly("approved by bob", "approved by carol");
  }

  @Test
  void tokens_areFoundByTheirHashOnly_andAppearInNoColumnOfAnyTable() throws Exception {
    String token = "slw_MARKERtoken0123456789abcdefghijklmnopqrstu";
    store.addUser("alice", List.of("deployer", "release"), sha256(token), "admin", entry("user added"));
    String rotated = "slw_MARKERrotated0123456789abcdefghijklmnopqr";
    store.addUser("bob", List.of("approver"), sha256("slw_other"), "admin", null);
    store.rotateToken("bob", sha256(rotated), entry("token replaced"));

    assertThat(store.userByTokenSha256(sha256(token))).get().extracting(TeamUser::name, TeamUser::roles)
        .containsExactly("alice", List.of("deployer", "release"));
    assertThat(store.userByTokenSha256(sha256(rotated))).get().extracting(TeamUser::name).isEqualTo("bob");
    assertThat(store.userByTokenSha256(sha256("slw_other"))).as("the old token is gone").isEmpty();
    assertThat(store.userByTokenSha256(token)).as("the token itself finds nothing").isEmpty();
    assertThatThrownBy(() -> store.addUser("eve", List.of(), token, "admin", null))
        .as("the store refuses to keep a token in place of its hash").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> rawInsert("eve", token)).as("so does the table").isInstanceOf(SQLException.class)
        .hasMessageContaining("users_token_ck");

    Map<String, Long> hits = columnsContaining("MARKER");
    assertThat(hits).as("text columns holding the token").isEmpty();
    assertThat(columnsContaining(sha256(token))).as("the hash is where lookups need it").containsOnlyKeys("users.token_sha256");
  }

  @Test
  void addUser_withATakenName_isAConflict() throws Exception {
    store.addUser("alice", List.of("deployer"), sha256("slw_1"), "admin", null);

    assertThatThrownBy(() -> store.addUser("alice", List.of("admin"), sha256("slw_2"), "admin", entry("user added")))
        .isInstanceOf(TeamConflictException.class)
        .hasMessage("a user named alice exists already; choose another name, or change alice's roles instead");
    assertThat(store.user("alice")).get().extracting(TeamUser::roles).isEqualTo(List.of("deployer"));
    assertThat(auditActions()).isEmpty();
    assertThat(store.setRoles("alice", List.of("admin"), entry("roles set"))).get().extracting(TeamUser::roles)
        .isEqualTo(List.of("admin"));
    assertThat(store.setRoles("nobody", List.of("admin"), entry("roles set"))).isEmpty();
    assertThat(auditActions()).containsExactly("roles set");
  }

  @Test
  void aMutationAndItsAuditEntry_rollBackTogether_whenTheAppendFails() throws Exception {
    Run run = store.createRun(new NewRun("deploy", "production", "api", "img@sha256:9", "alice", 0, "{}"), null);
    refuseAuditAppends();

    assertThatThrownBy(() -> store.addUser("alice", List.of("admin"), sha256("slw_x"), "admin", entry("user added")))
        .isInstanceOf(StoreException.class).hasMessageContaining("audit refused by the test");
    assertThatThrownBy(() -> store.transitionRun(run.id(), "pending", RunChange.to("running"), entry("run started")))
        .isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.freeze("production", Instant.now().plus(Duration.ofDays(1)), "release freeze",
        "admin", entry("frozen"))).isInstanceOf(StoreException.class);

    assertThat(store.userCount()).isZero();
    assertThat(store.run(run.id())).get().extracting(Run::state).isEqualTo("pending");
    assertThat(store.currentFreeze("production", Instant.now())).isEmpty();
    assertThat(query("SELECT count(*) FROM audit_entries")).isEqualTo("0");

    execute("DROP TRIGGER refuse_audit ON audit_entries");
    store.addUser("alice", List.of("admin"), sha256("slw_x"), "admin", entry("user added"));
    assertThat(store.userCount()).isEqualTo(1);
    assertThat(auditActions()).containsExactly("user added");
  }

  @Test
  void recordRelease_makesItCurrent_andARollbackMarkDoesNot() throws Exception {
    Run run = store.createRun(new NewRun("deploy", "staging", "api", null, "alice", 0, null), null);
    Instant live = Instant.parse("2026-12-07T10:00:00Z");
    store.recordRelease(release("r1", "live", live, null, 0), entry("r1 live"));
    store.recordRelease(release("r2", "live", live.plusSeconds(60), null, run.id()), entry("r2 live"));
    store.recordRelease(release("r1", "superseded", live, null, 0), null);
    store.recordRelease(release("r2", "live", live.plusSeconds(60), null, run.id()), null);

    assertThat(store.currentRelease("staging", "api")).get().extracting(ServerRelease::release, ServerRelease::runId)
        .containsExactly("r2", run.id());
    Instant rolledBack = live.plusSeconds(120);
    store.recordRelease(release("r1", "live", live.plusSeconds(120), null, 0), entry("back to r1"));
    assertThat(store.markRolledBack("staging", "api", "r2", rolledBack, entry("r2 rolled back"))).get()
        .extracting(ServerRelease::state, ServerRelease::rolledBackAt).containsExactly("rolled-back", rolledBack);

    assertThat(store.currentRelease("staging", "api")).get().extracting(ServerRelease::release).isEqualTo("r1");
    assertThat(store.releases("staging")).extracting(ServerRelease::release).containsExactly("r1", "r2");
    assertThat(store.currentRelease("production", "api")).isEmpty();
    assertThat(store.markRolledBack("staging", "api", "r9", rolledBack, entry("never"))).isEmpty();
    assertThat(auditActions()).containsExactly("r1 live", "r2 live", "back to r1", "r2 rolled back");
  }

  @Test
  void freeze_isCurrentUntilItsEnd_andUnfreezeLiftsIt() throws Exception {
    Instant now = Instant.parse("2026-12-07T12:00:00Z");
    Instant until = Instant.parse("2026-12-24T00:00:00Z");
    store.freeze("production", until, "release freeze", "admin", entry("frozen"));

    assertThat(store.currentFreeze("production", now)).get().extracting(Freeze::until, Freeze::reason, Freeze::by)
        .containsExactly(until, "release freeze", "admin");
    assertThat(store.currentFreeze("production", until)).as("over at its end").isEmpty();
    assertThat(store.currentFreezes(now)).extracting(Freeze::environment).containsExactly("production");
    assertThat(store.unfreeze("production", entry("unfrozen"))).isTrue();
    assertThat(store.unfreeze("production", entry("unfrozen again"))).isFalse();
    assertThat(store.currentFreeze("production", now)).isEmpty();
    assertThat(auditActions()).containsExactly("frozen", "unfrozen");
  }

  @Test
  void serverState_keepsTheLastValue() throws Exception {
    assertThat(store.serverState("checkpoint.key")).isEmpty();
    store.putServerState("checkpoint.key", "one", null);
    store.putServerState("checkpoint.key", "two", entry("state"));

    assertThat(store.serverState("checkpoint.key")).contains("two");
  }

  @Test
  void runsOfAPromotion_referToIt() throws Exception {
    Promotion p = store.createPromotion(new NewPromotion("staging", "production", "running", "alice", "{}"), null);
    Run api = store.createRun(new NewRun("deploy", "production", "api", "api@sha256:1", "alice", p.id(), null), null);
    Run web = store.createRun(new NewRun("deploy", "production", "web", "web@sha256:2", "alice", p.id(), null), null);
    store.createRun(new NewRun("deploy", "production", "api", null, "alice", 0, null), null);

    assertThat(store.runsOfPromotion(p.id())).extracting(Run::id).containsExactly(api.id(), web.id());
    assertThat(api.promotionId()).isEqualTo(p.id());
    assertThatThrownBy(() -> store.createRun(new NewRun("deploy", "production", "api", null, "alice", 999, null), null))
        .isInstanceOf(StoreException.class).hasMessageContaining("does not hold");
  }

  private ServerRelease release(String id, String state, Instant liveSince, Instant rolledBackAt, long runId) {
    return new ServerRelease("staging", "api", id, "api@sha256:" + id, "sha256:c" + id, "{\"PASSWORD\":\"****\"}",
        state, liveSince, "passed", rolledBackAt, runId, null);
  }

  /** A store of its own connection and audit log on the same database, as a second server would have. */
  private JdbcTeamStore opened(Clock clock) throws StoreException {
    StoreDatabase other = open();
    return new JdbcTeamStore(other, new JdbcAuditLog(other.dataSource()), clock);
  }

  private void refuseAuditAppends() throws SQLException {
    execute("CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS"
        + " $$ BEGIN RAISE EXCEPTION 'audit refused by the test'; END $$");
    execute("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_entries FOR EACH ROW EXECUTE FUNCTION refuse_audit()");
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private StoreDatabase open() throws StoreException {
    StoreDatabase opened = StoreDatabase.openPostgres(url, null, null);
    this.opened.add(opened);
    return opened;
  }

  /** The one place that builds an entry: the tests care only that it is the one committed. */
  private static NewAuditEntry entry(String action) {
    return NewAuditEntry.of("tester", action, null, null);
  }

  private List<String> auditActions() throws SQLException {
    List<String> actions = new ArrayList<>();
    try (Connection c = connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT action FROM audit_entries ORDER BY seq")) {
      while (rs.next()) {
        actions.add(rs.getString(1));
      }
    }
    return actions;
  }

  /** Every text-like column of every table, as "table.column" → rows whose value contains {@code needle}. */
  private Map<String, Long> columnsContaining(String needle) throws SQLException {
    Map<String, Long> hits = new java.util.TreeMap<>();
    try (Connection c = connect()) {
      List<String[]> columns = new ArrayList<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
          "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'"
              + " AND data_type IN ('text', 'character varying', 'character', 'ARRAY', 'json', 'jsonb')")) {
        while (rs.next()) {
          columns.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
      assertThat(columns).as("columns to search").hasSizeGreaterThan(20);
      for (String[] col : columns) {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM \"" + col[0] + "\" WHERE strpos(\""
            + col[1] + "\"::text, ?) > 0")) {
          ps.setString(1, needle);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (rs.getLong(1) > 0) {
              hits.put(col[0] + "." + col[1], rs.getLong(1));
            }
          }
        }
      }
    }
    return hits;
  }

  private void rawInsert(String name, String token) throws SQLException {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO users (name, roles,"
        + " token_sha256, created_at, created_by) VALUES (?, '{}', ?, now(), 'x')")) {
      ps.setString(1, name);
      ps.setString(2, token);
      ps.executeUpdate();
    }
  }

  private String query(String sql) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private Connection connect() throws SQLException {
    return postgres.connect(url.substring(url.lastIndexOf('/') + 1, url.indexOf('?')));
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
