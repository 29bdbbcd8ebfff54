package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.api.team.CheckpointView;
import dev.slipway.api.team.TeamPaths;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11's audit acceptance as a user meets it: {@code slipway server} runs as a process on a real
 * PostgreSQL; an admin adds users and changes roles through the CLI; then someone with write access to
 * the database edits a row, deletes one, inserts one, and cuts the tail off, and {@code slipway audit
 * verify} names each (exit 1) — the last only against a checkpoint exported before ({@code --export}),
 * since whoever cut the tail also removed the server's own later checkpoints. Each tampering but the
 * last is undone before the next, so each is found on its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditTamperCliIT {
  @RegisterExtension
  static final TestPostgres POSTGRES = new TestPostgres();
  private static final String DATABASE = "team_audit_cli";

  private static Path work;
  private static Process server;
  private static Path log;
  private static String url;
  private static String adminToken;
  private static long serverPid;

  @BeforeAll
  static void startServer() throws Exception {
    work = Files.createTempDirectory("slipway-audit-cli");
    Path model = Files.writeString(work.resolve("slipway.yaml"), "name: audit-it\nservices:\n  api:\n    run: \"true\"\n");
    String store = POSTGRES.newStore(DATABASE);
    String withoutPassword = store.substring(0, store.indexOf("&password="));
    log = work.resolve("server.log");
    server = CliTestSupport.cliProcess(log, Map.of("SLIPWAY_STORE_PASSWORD", TestPostgres.PASSWORD), "server", "-f",
        model.toString(), "--data", work.resolve("data").toString(), "--store", withoutPassword, "--listen", "127.0.0.1:0");
    Path info = work.resolve("data/server.json");
    Path token = work.resolve("data/admin-token");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!(Files.exists(info) && Files.exists(token))) {
      assertThat(server.isAlive()).as("slipway server exited:\n" + Files.readString(log)).isTrue();
      assertThat(System.nanoTime()).as("slipway server not up in 120 s:\n" + Files.readString(log)).isLessThan(deadline);
      Thread.sleep(100);
    }
    JsonNode json = CliTestSupport.JSON.readTree(info.toFile());
    url = json.get("url").asText();
    serverPid = json.get("pid").asLong();
    adminToken = Files.readString(token).strip();
    assertThat(Files.readString(log)).as("the server prints where the token is, never the token")
        .contains(token.toString()).doesNotContain(adminToken);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server == null) {
      return;
    }
    CliTestSupport.kill("TERM", server.pid());
    boolean ended = server.waitFor(90, TimeUnit.SECONDS);
    if (!ended) {
      server.destroyForcibly().waitFor();
    }
    ProcessHandle child = ProcessHandle.of(serverPid).orElse(null);
    if (child != null && child.isAlive()) {
      child.destroyForcibly();
    }
    assertThat(ended).as("slipway server stopped on SIGTERM:\n" + Files.readString(log)).isTrue();
    assertThat(child == null || !child.isAlive()).as("the server's JVM stopped with `slipway server`").isTrue();
  }

  private static CliTestSupport.Result cli(String... args) {
    return cli(Map.of(TeamPaths.SERVER_VARIABLE, url, TeamPaths.TOKEN_VARIABLE, adminToken, "XDG_CONFIG_HOME",
        work.resolve("config").toString()), args);
  }

  private static CliTestSupport.Result cli(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Main main = new Main((a, e, d, o, p) -> {
      throw new AssertionError("no cluster here");
    }, q -> java.util.Optional.empty(), env::get, java.io.InputStream.nullInputStream());
    int code = Main.execute(main, args, new PrintWriter(out, true), new PrintWriter(err, true));
    CliTestSupport.Result r = new CliTestSupport.Result(code, out.toString(), err.toString());
    assertThat(r.out() + r.err()).as("the admin's token in " + r.output()).doesNotContain(adminToken);
    return r;
  }

  private static void sql(String statement) throws Exception {
    try (Connection c = POSTGRES.connect(DATABASE); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private static long count() throws Exception {
    try (Connection c = POSTGRES.connect(DATABASE); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT max(seq) FROM audit_entries")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The first admin logs in with the file the server wrote; later commands find the server in the login file. */
  @Test
  @Order(0)
  void theFirstAdmin_logsInWithTheTokenFile() throws Exception {
    Map<String, String> env = Map.of("XDG_CONFIG_HOME", work.resolve("login").toString());

    CliTestSupport.Result login = cli(env, "login", "--server", url, "--token-file", work.resolve("data/admin-token").toString());
    CliTestSupport.Result whoami = cli(env, "whoami");

    assertThat(login.code()).as(login.output()).isZero();
    assertThat(login.out()).contains("logged in to " + url + " as admin [admin]");
    assertThat(whoami.out()).startsWith("admin [admin] on " + url);
    assertThat(Files.getPosixFilePermissions(work.resolve("login/slipway/credentials.json")))
        .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
  }

  @Test
  @Order(1)
  void anIntactTrail_verifies_andItsCheckpointIsExported() throws Exception {
    for (String[] args : List.of(new String[] {"user", "add", "alice", "--role", "deployer"},
        new String[] {"user", "add", "bob", "--role", "approver"},
        new String[] {"user", "roles", "bob", "--role", "approver", "--role", "release"},
        new String[] {"user", "add", "carol", "--role", "viewer"})) {
      CliTestSupport.Result r = cli(args);
      assertThat(r.code()).as(r.output()).isZero();
    }
    new TeamClient(url, adminToken).post(TeamPaths.AUDIT_CHECKPOINT, null, CheckpointView.class);

    CliTestSupport.Result audit = cli("audit");
    CliTestSupport.Result verify = cli("audit", "verify", "--export", work.resolve("checkpoint.json").toString());

    assertThat(audit.out()).contains("user.add").contains("user.roles").contains("bob");
    assertThat(count()).isGreaterThanOrEqualTo(4);
    assertThat(verify.code()).as(verify.output()).isZero();
    assertThat(verify.out()).contains("audit trail intact").contains("saved the checkpoint of " + count() + " entries");
  }

  @Test
  @Order(2)
  void anEditedRow_isNamed() throws Exception {
    sql("UPDATE audit_entries SET actor = 'mallory' WHERE seq = 2");
    CliTestSupport.Result r = cli("audit", "verify");
    sql("UPDATE audit_entries SET actor = 'admin' WHERE seq = 2");

    assertThat(r.code()).as(r.output()).isEqualTo(1);
    assertThat(r.out()).contains("audit trail TAMPERED").contains("changed: entry 2 (").contains("by mallory");
    assertThat(cli("audit", "verify").code()).as("restored").isZero();
  }

  @Test
  @Order(3)
  void aDeletedRow_isNamed() throws Exception {
    List<Object> row = new ArrayList<>();
    try (Connection c = POSTGRES.connect(DATABASE); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM audit_entries WHERE seq = 3")) {
      assertThat(rs.next()).isTrue();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        row.add(rs.getObject(i));
      }
    }
    sql("DELETE FROM audit_entries WHERE seq = 3");
    CliTestSupport.Result r = cli("audit", "verify");
    try (Connection c = POSTGRES.connect(DATABASE); PreparedStatement p = c.prepareStatement("INSERT INTO audit_entries"
        + " VALUES (" + "?,".repeat(row.size() - 1) + "?)")) {
      for (int i = 0; i < row.size(); i++) {
        p.setObject(i + 1, row.get(i));
      }
      p.executeUpdate();
    }

    assertThat(r.code()).as(r.output()).isEqualTo(1);
    assertThat(r.out()).contains("removed: entry 3 is missing");
    assertThat(cli("audit", "verify").code()).as("restored").isZero();
  }

  @Test
  @Order(4)
  void anInsertedRow_isNamed() throws Exception {
    String prev;
    try (Connection c = POSTGRES.connect(DATABASE); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT hash FROM audit_entries WHERE seq = 1")) {
      rs.next();
      prev = rs.getString(1);
    }
    sql("UPDATE audit_entries SET seq = seq + 1000000 WHERE seq >= 2");
    sql("UPDATE audit_entries SET seq = seq - 1000000 + 1 WHERE seq >= 1000000");
    sql("INSERT INTO audit_entries (seq, at, actor, action, environment, prev_hash, hash) VALUES (2, now(), 'mallory',"
        + " 'approve', 'production', '" + prev + "', '" + "f".repeat(64) + "')");
    CliTestSupport.Result r = cli("audit", "verify");
    sql("DELETE FROM audit_entries WHERE seq = 2");
    sql("UPDATE audit_entries SET seq = seq + 1000000 WHERE seq >= 3");
    sql("UPDATE audit_entries SET seq = seq - 1000000 - 1 WHERE seq >= 1000000");

    assertThat(r.code()).as(r.output()).isEqualTo(1);
    assertThat(r.out()).contains("inserted: entry 2 (approve in production by mallory");
    assertThat(cli("audit", "verify").code()).as("restored").isZero();
  }

  /** The server's own later checkpoints go with the tail: only the exported one still knows how long the trail was. */
  @Test
  @Order(5)
  void aTruncatedTail_isFound_againstTheExportedCheckpoint() throws Exception {
    long keep = count() - 2;
    sql("DELETE FROM audit_entries WHERE seq > " + keep);
    sql("UPDATE audit_head SET seq = " + keep + ", hash = (SELECT hash FROM audit_entries WHERE seq = " + keep + ")");
    sql("DELETE FROM audit_checkpoints WHERE count > " + keep);

    CliTestSupport.Result blind = cli("audit", "verify");
    CliTestSupport.Result r = cli("audit", "verify", "--checkpoint", work.resolve("checkpoint.json").toString());

    assertThat(blind.code()).as("without the export: " + blind.output()).isZero();
    assertThat(r.code()).as(r.output()).isEqualTo(1);
    assertThat(r.out()).contains("truncated: the exported checkpoint").contains("the trail has " + keep)
        .contains("its tail was cut off");
  }
}
