package dev.slipway.server.team;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.api.team.AuditChain;
import dev.slipway.api.team.NewUserRequest;
import dev.slipway.api.team.PreviewRequest;
import dev.slipway.api.team.RolesRequest;
import dev.slipway.api.team.ServerDeployRequest;
import dev.slipway.api.team.TeamPaths;
import dev.slipway.kubernetes.sim.MockCluster;
import dev.slipway.kubernetes.sim.SimKubelet;
import dev.slipway.kubernetes.sim.Behaviour;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The team server at the HTTP level, in-process on a free port, over real PostgreSQL and a mock cluster:
 * tokens and roles, runs on a kubernetes environment that record releases and audit entries, and a secret
 * of the model that never leaves the server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TeamServerIT {
  private static final String SECRET = "planted-secret-4c1d9e";
  private static final String DEPLOY = TeamPaths.ENVIRONMENT + "staging/services/api/deploy";

  @RegisterExtension
  static final TeamPostgres POSTGRES = new TeamPostgres();

  private static MockCluster cluster;
  private static SimKubelet kubelet;
  private static TeamServerFixture server;
  private static String admin;
  private static String alice;
  private static String bob;
  /** Every body the server answered, searched for the secret at the end. */
  private static final List<String> answers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    cluster = new MockCluster();
    kubelet = new SimKubelet(cluster.client()).behave("team-api:v3", Behaviour.NEVER_READY).start();
    server = new TeamServerFixture(POSTGRES, "team_server_it", cluster, kubelet);
    server.start();
    admin = server.adminToken();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void firstStart_writesTheAdminTokenFile0600_andPrintsItsPathNotTheToken() throws Exception {
    var file = server.dir.resolve("data").resolve(TeamApp.ADMIN_TOKEN_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(admin).startsWith("slw_").hasSizeGreaterThan(40);
    assertThat(server.out.toString()).contains(file.toString()).doesNotContain(admin);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.dir.resolve("data")
        .resolve("audit-key")))).isEqualTo("rw-------");
    JsonNode info = server.json(server.dir.resolve("data").resolve(TeamApp.SERVER_FILE));
    assertThat(info.get("url").asText()).isEqualTo(server.running.app().url().toString());
    assertThat(info.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
  }

  @Test
  @Order(2)
  void withoutAValidToken_everyRouteButHealthIs401_sayingHowToLogIn() throws Exception {
    assertThat(record(server.get(TeamPaths.HEALTH, null)).status()).isEqualTo(200);
    var none = record(server.get(TeamPaths.WHOAMI, null));
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.json().get("type").asText()).isEqualTo("unauthorized");
    assertThat(none.body()).contains("slipway login --server");
    var wrong = record(server.get(TeamPaths.ENVIRONMENTS, "slw_not-a-token"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.body()).contains("not (or no longer) valid");

    var me = record(server.get(TeamPaths.WHOAMI, admin));
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().get("name").asText()).isEqualTo("admin");
    assertThat(me.json().get("server").asText()).isEqualTo(server.running.app().url().toString());
  }

  @Test
  @Order(3)
  void anAdminAddsUsers_aTokenShownOnce_andAUserWithoutTheRoleGets403NamingIt() throws Exception {
    var added = record(server.post(TeamPaths.USERS, admin, new NewUserRequest("alice", List.of("deployer"))));
    assertThat(added.status()).as(added.toString()).isEqualTo(201);
    alice = added.json().get("token").asText();
    assertThat(alice).startsWith("slw_");
    bob = record(server.post(TeamPaths.USERS, admin, new NewUserRequest("bob", List.of("viewer")))).json().get("token")
        .asText();

    var aliceAdds = record(server.post(TeamPaths.USERS, alice, new NewUserRequest("eve", List.of("admin"))));
    assertThat(aliceAdds.status()).isEqualTo(403);
    assertThat(aliceAdds.json().get("type").asText()).isEqualTo("forbidden");
    assertThat(aliceAdds.json().get("details").get(0).asText())
        .isEqualTo("alice (deployer) may not add users or give them new tokens: that needs one of the roles [admin]; "
            + "ask an admin: slipway user add alice --role admin");
    var bobDeploys = record(server.post(DEPLOY, bob, new ServerDeployRequest(null, "v2", null, null, false)));
    assertThat(bobDeploys.status()).isEqualTo(403);
    assertThat(bobDeploys.body()).contains("bob (viewer) may not deploy to staging").contains("[deployer]");
    var bobRoles = record(server.call("PUT", TeamPaths.USER + "bob/roles", alice, new RolesRequest(List.of("admin"))));
    assertThat(bobRoles.status()).isEqualTo(403);
    var lastAdmin = record(server.call("PUT", TeamPaths.USER + "admin/roles", admin, new RolesRequest(List.of("viewer"))));
    assertThat(lastAdmin.status()).isEqualTo(409);
    assertThat(lastAdmin.json().get("type").asText()).isEqualTo("last-admin");

    var rotated = record(server.post(TeamPaths.USERS, admin, new NewUserRequest("alice", List.of("deployer"))));
    assertThat(rotated.status()).isEqualTo(201);
    assertThat(record(server.get(TeamPaths.WHOAMI, alice)).status()).as("the old token stops working").isEqualTo(401);
    alice = rotated.json().get("token").asText();
    assertThat(record(server.get(TeamPaths.WHOAMI, alice)).json().get("name").asText()).isEqualTo("alice");

    var users = record(server.get(TeamPaths.USERS, bob));
    assertThat(users.status()).isEqualTo(200);
    assertThat(users.body()).contains("\"alice\"").contains("\"bob\"").doesNotContain(alice).doesNotContain("slw_");
    try (Connection c = server.db(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT action, count(*) FROM audit_entries GROUP BY action")) {
      Map<String, Integer> counts = new java.util.HashMap<>();
      while (rs.next()) {
        counts.put(rs.getString(1), rs.getInt(2));
      }
      assertThat(counts).as("admin, alice and bob added, alice's new token, each audited")
          .containsEntry("user.add", 3).containsEntry("user.token", 1);
    }
  }

  @Test
  @Order(4)
  void aDeployRun_isPendingFirst_thenSucceeds_recordingTheReleaseAndItsAudit() throws Exception {
    var started = record(server.post(DEPLOY, alice, new ServerDeployRequest(null, "v2", null, "first", false)));
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    assertThat(started.json().get("state").asText()).isEqualTo("pending");
    long id = started.json().get("id").asLong();

    JsonNode run = waitForEnd(id);
    assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("succeeded");
    assertThat(run.get("release").asText()).isEqualTo("r1");
    assertThat(run.get("image").asText()).endsWith("team-api:v2");
    assertThat(run.get("requestedBy").asText()).isEqualTo("alice");
    assertThat(run.get("finishedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

    var releases = record(server.get(TeamPaths.ENVIRONMENT + "staging/releases", bob));
    JsonNode r1 = releases.json().get(0);
    assertThat(r1.get("service").asText()).isEqualTo("api");
    assertThat(r1.get("release").asText()).isEqualTo("r1");
    assertThat(r1.get("state").asText()).isEqualTo("live");
    assertThat(r1.get("image").asText()).endsWith("team-api:v2");
    assertThat(r1.get("analysis").asText()).isEqualTo("none");
    assertThat(r1.get("liveSince").isNull()).isFalse();
    assertThat(r1.get("runId").asLong()).isEqualTo(id);
    assertThat(r1.get("verified").asBoolean()).as("live, but not yet for production's 1h soak").isFalse();
    try (Connection c = server.db(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT state, run_id FROM server_releases WHERE environment = 'staging'"
            + " AND service = 'api' AND release = 'r1'")) {
      assertThat(rs.next()).as("a server_releases row").isTrue();
      assertThat(rs.getString(1)).isEqualTo("live");
      assertThat(rs.getLong(2)).isEqualTo(id);
    }
    var audit = record(server.get(TeamPaths.AUDIT + "?env=staging", bob)).json();
    List<String> actions = new ArrayList<>();
    audit.forEach(e -> actions.add(e.get("action").asText() + " by " + e.get("actor").asText()));
    assertThat(actions).containsSubsequence("deploy by alice", "run.end by alice");
    JsonNode end = audit.get(audit.size() - 1);
    assertThat(end.get("afterRelease").asText()).isEqualTo("r1");
    assertThat(end.get("hash").asText()).isEqualTo(AuditChain.hash(end.get("prevHash").asText(),
        server.entry(end)));
  }

  @Test
  @Order(5)
  void aRunWhosePodsNeverBecomeReady_endsRolledBack_andStagingKeepsServingTheOldRelease() throws Exception {
    var started = record(server.post(DEPLOY, alice, new ServerDeployRequest(null, "v3", null, null, false)));
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    JsonNode run = waitForEnd(started.json().get("id").asLong());

    // Not a success: the runner rolled the candidate back (the run's most precise failed state).
    assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("rolled-back");
    assertThat(run.get("message").asText()).as(run.toString()).contains("pods never ready");
    assertThat(run.get("image").asText()).endsWith("team-api:v3");
    var releases = record(server.get(TeamPaths.ENVIRONMENT + "staging/releases", bob)).json();
    Map<String, String> states = new java.util.HashMap<>();
    releases.forEach(r -> states.put(r.get("release").asText(), r.get("state").asText()));
    assertThat(states).containsEntry("r1", "live").containsKey("r2");
    assertThat(states.get("r2")).isEqualTo("rolled-back");
  }

  @Test
  @Order(6)
  void aLocalEnvironment_isRefused409_withTheFix_andNothingIsStored() throws Exception {
    var local = record(server.post(TeamPaths.ENVIRONMENT + "dev/services/api/deploy", alice,
        new ServerDeployRequest(null, "v2", null, null, false)));
    assertThat(local.status()).isEqualTo(409);
    assertThat(local.json().get("type").asText()).isEqualTo("local-target");
    assertThat(local.body()).contains("slipway deploy api --env dev");
    var unknown = record(server.post(TeamPaths.ENVIRONMENT + "nowhere/services/api/deploy", alice, null));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(record(server.get(TeamPaths.RUNS + "?env=dev", alice)).json()).isEmpty();
  }

  @Test
  @Order(11)
  void aProtectedEnvironment_refusesADirectDeploy_namingThePromotion() throws Exception {
    var refused = record(server.post(TeamPaths.ENVIRONMENT + "production/services/api/deploy", admin,
        new ServerDeployRequest(null, "v2", null, null, false)));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().get("type").asText()).isEqualTo("protected");
    assertThat(refused.body()).contains("slipway promote --to production");
    JsonNode production = null;
    for (JsonNode e : record(server.get(TeamPaths.ENVIRONMENTS, bob)).json()) {
      production = e.get("name").asText().equals("production") ? e : production;
    }
    assertThat(production.get("isProtected").asBoolean()).isTrue();
    assertThat(production.get("promotedFrom").asText()).isEqualTo("staging");
  }

  @Test
  @Order(12)
  void aFrozenEnvironment_refusesDeploys_unlessAnAdminOverrides_whichTheAuditRecords() throws Exception {
    try (Connection c = server.db(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO freezes VALUES ('staging', now() + interval '1 day', 'release freeze', 'admin', now())");
    }
    try {
      var frozen = record(server.post(DEPLOY, alice, new ServerDeployRequest(null, "v2", null, null, false)));
      assertThat(frozen.status()).isEqualTo(409);
      assertThat(frozen.json().get("type").asText()).isEqualTo("frozen");
      assertThat(frozen.body()).contains("release freeze (by admin)");
      var notAdmin = record(server.post(DEPLOY, alice, new ServerDeployRequest(null, "v2", null, "hotfix", true)));
      assertThat(notAdmin.status()).isEqualTo(403);
      assertThat(notAdmin.body()).contains("alice (deployer) may not override the freeze of staging").contains("[admin]");

      var overridden = record(server.post(TeamPaths.ENVIRONMENT + "staging/services/api/abort", alice, null));
      assertThat(overridden.status()).as("an abort is never refused for a freeze").isEqualTo(202);
      waitForEnd(overridden.json().get("id").asLong());
      var byAdmin = record(server.post(DEPLOY, admin, new ServerDeployRequest(null, "v2", null, "hotfix", true)));
      assertThat(byAdmin.status()).as(byAdmin.toString()).isEqualTo(202);
      waitForEnd(byAdmin.json().get("id").asLong());
      var audit = record(server.get(TeamPaths.AUDIT + "?env=staging", bob)).json();
      List<String> reasons = new ArrayList<>();
      audit.forEach(e -> reasons.add(e.get("action").asText() + " by " + e.get("actor").asText() + ": "
          + e.get("reason").asText()));
      assertThat(reasons).contains("deploy by admin: freeze overridden: hotfix");
    } finally {
      try (Connection c = server.db(); Statement s = c.createStatement()) {
        s.execute("DELETE FROM freezes");
      }
    }
  }

  @Test
  @Order(7)
  void aCheckpoint_signsTheChainAsItIsNow() throws Exception {
    var signed = record(server.post(TeamPaths.AUDIT_CHECKPOINT, bob, null));
    assertThat(signed.status()).as(signed.toString()).isEqualTo(200);
    long count = signed.json().get("count").asLong();
    var audit = record(server.get(TeamPaths.AUDIT, bob)).json();
    assertThat(count).isEqualTo(audit.size());
    assertThat(signed.json().get("headHash").asText()).isEqualTo(audit.get(audit.size() - 1).get("hash").asText());
    assertThat(record(server.get(TeamPaths.AUDIT_CHECKPOINTS, bob)).json().size()).isGreaterThanOrEqualTo(1);
  }

  @Test
  @Order(8)
  void thePlantedSecret_isInNoAnswer_andNoRunReleaseOrAuditRow() throws Exception {
    for (String path : List.of(TeamPaths.ENVIRONMENTS, TeamPaths.RUNS, TeamPaths.AUDIT, TeamPaths.USERS,
        TeamPaths.ENVIRONMENT + "staging/releases", TeamPaths.AUDIT_CHECKPOINTS, TeamPaths.WHOAMI)) {
      record(server.get(path, admin));
    }
    assertThat(answers).as("the answers were collected").hasSizeGreaterThan(20);
    assertThat(answers).noneMatch(a -> a.contains(SECRET));
    assertThat(server.out.toString()).doesNotContain(SECRET);
    try (Connection c = server.db(); Statement s = c.createStatement()) {
      for (String table : List.of("runs", "server_releases", "audit_entries", "users")) {
        try (ResultSet rs = s.executeQuery("SELECT t::text FROM " + table + " t")) {
          int rows = 0;
          while (rs.next()) {
            rows++;
            assertThat(rs.getString(1)).as(table).doesNotContain(SECRET);
          }
          assertThat(rows).as(table + " has rows to search").isPositive();
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT config_json FROM server_releases WHERE release = 'r1'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).as("the configuration is recorded, its secret masked")
            .contains("\"GREETING\":\"hello\"").contains("\"API_TOKEN\":\"****\"");
      }
    }
  }

  @Test
  @Order(9)
  void previews_areListedByAnyone_startedOnlyByADeployer_andAnUnknownOneIs404() throws Exception {
    var list = record(server.get(TeamPaths.PREVIEWS, bob));
    assertThat(list.status()).as(list.toString()).isEqualTo(200);
    assertThat(list.json()).isEmpty();
    var bobUp = record(server.post(TeamPaths.PREVIEWS, bob, new PreviewRequest("pr-1", "1h", null, null, null)));
    assertThat(bobUp.status()).isEqualTo(403);
    assertThat(bobUp.body()).contains("bob (viewer) may not start previews").contains("[deployer]");
    var outside = record(server.post(TeamPaths.PREVIEWS, alice, new PreviewRequest("pr-1", "1h", null, "/etc/passwd",
        null)));
    assertThat(outside.status()).isEqualTo(400);
    assertThat(outside.body()).contains("outside the server's checkout");
    var gone = record(server.call("DELETE", TeamPaths.PREVIEWS + "/pr-404", alice, null));
    assertThat(gone.status()).as(gone.toString()).isEqualTo(404);
  }

  /**
   * A run a crash left {@code running} (its row stored, the server gone) is finished by the next start:
   * resumed on the cluster, ended in a recorded state that says why, with its {@code run.end} entry.
   */
  @Test
  @Order(10)
  void aRunLeftRunningByACrash_isFinishedAtTheNextStart_sayingTheServerRestarted() throws Exception {
    server.stop();
    long id;
    try (Connection c = server.db(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("INSERT INTO runs (kind, environment, service, state, requested_by,"
          + " started_at, promotion_id, request_json) VALUES ('deploy', 'staging', 'api', 'running', 'alice', now(), NULL,"
          + " NULL) RETURNING id")) {
        rs.next();
        id = rs.getLong(1);
      }
    }
    server.start();
    assertThat(server.adminToken()).as("a restart makes no new admin").isEqualTo(admin);

    JsonNode run = waitForEnd(id);
    // Nothing was left unfinished on the cluster: the run ends as the service's last rollout did (r2's).
    assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("rolled-back");
    assertThat(run.get("release").asText()).isEqualTo("r2");
    assertThat(run.get("message").asText()).contains(Runs.RESTARTED);
    var audit = record(server.get(TeamPaths.AUDIT + "?env=staging", alice)).json();
    JsonNode end = audit.get(audit.size() - 1);
    assertThat(end.get("action").asText()).isEqualTo("run.end");
    assertThat(end.get("reason").asText()).isEqualTo(Runs.RESTARTED);
  }

  private static JsonNode waitForEnd(long id) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      var r = record(server.get(TeamPaths.RUNS + "/" + id + "?waitSeconds=5", alice));
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      if (!r.json().get("finishedAt").isNull()) {
        return r.json();
      }
    }
    throw new AssertionError("run " + id + " did not end: " + server.get(TeamPaths.RUNS + "/" + id, alice));
  }

  private static TeamServerFixture.Reply record(TeamServerFixture.Reply reply) {
    answers.add(reply.body());
    return reply;
  }
}
