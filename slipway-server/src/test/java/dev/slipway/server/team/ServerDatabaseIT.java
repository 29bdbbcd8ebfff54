package dev.slipway.server.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.local.EmbeddedPostgres;
import dev.slipway.store.StoreException;
import dev.slipway.store.audit.JdbcAuditLog;
import dev.slipway.store.audit.NewAuditEntry;
import dev.slipway.store.team.TeamUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The team server's database as the server gets it: its own embedded PostgreSQL under DATA (real
 * processes, data kept across restarts, stopped with the server, a leftover of a killed server
 * stopped at the next start), or the PostgreSQL --store names.
 */
class ServerDatabaseIT {
  private static final String HASH = "a".repeat(64);

  @TempDir
  Path data;

  @Test
  void embedded_keepsItsDataAcrossRestarts_stopsWithTheServer_andOutlivesNoKilledServer() throws Exception {
    long firstPid;
    try (ServerDatabase first = open(data, ServerDatabase.Settings.EMBEDDED)) {
      assertThat(first.description()).startsWith("embedded PostgreSQL in " + data.resolve("postgres"));
      first.store().addUser("admin", List.of("admin"), HASH, "slipway", NewAuditEntry.of("slipway", "user-add", null, null));
      firstPid = postmasterPid();
      assertThat(alive(firstPid)).as("postgres runs while the server does").isTrue();
    }
    assertThat(alive(firstPid)).as("stopped with the server").isFalse();
    assertThat(data.resolve("postgres/pgdata/postmaster.pid")).as("a clean shutdown").doesNotExist();
    assertThat(Files.getPosixFilePermissions(data.resolve("postgres/superuser-password")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    // The second server is "killed": it never closes its database, so its postgres keeps running.
    ServerDatabase killed = open(data, ServerDatabase.Settings.EMBEDDED);
    try {
      assertThat(killed.store().users()).extracting(TeamUser::name).containsExactly("admin");
      assertThat(killed.auditLog().count()).isEqualTo(1);
      killed.store().addUser("alice", List.of("deployer"), "b".repeat(64), "admin", null);
      long leftover = postmasterPid();
      List<String> lines = new ArrayList<>();

      try (ServerDatabase next = ServerDatabase.open(data, ServerDatabase.Settings.EMBEDDED, JdbcAuditLog::new,
          Clock.systemUTC(), lines::add)) {
        assertThat(alive(leftover)).as("the killed server's postgres").isFalse();
        assertThat(lines).anyMatch(l -> l.startsWith("stopped leftover postgres"));
        assertThat(next.store().users()).extracting(TeamUser::name).containsExactly("admin", "alice");
      }
    } finally {
      killed.close();
    }

    // A server stopped by SIGTERM (Ctrl-C, systemd) stops its PostgreSQL on the way out.
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), ServerDatabaseChild.class.getName(), data.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      String ready = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream())).readLine();
      assertThat(ready).isEqualTo("ready 2");
      long pid = postmasterPid();
      child.destroy();
      assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(alive(pid)).as("postgres of a server stopped by SIGTERM").isFalse();
      assertThat(data.resolve("postgres/pgdata/postmaster.pid")).doesNotExist();
    } finally {
      child.destroyForcibly().waitFor();
    }
  }

  @Test
  void store_usesTheGivenPostgres_withThePasswordFromAPrivateFile() throws Exception {
    try (EmbeddedPostgres external = EmbeddedPostgres.start(Files.createDirectory(data.resolve("external")), "team",
        Duration.ofSeconds(60), line -> { })) {
      Path passwordFile = Files.writeString(data.resolve("store-password"), external.password() + "\n");
      Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
      String url = external.jdbcUrl() + "?user=" + external.user();
      Path serverData = Files.createDirectory(data.resolve("server"));

      try (ServerDatabase db = open(serverData, ServerDatabase.settings(url, passwordFile, Map.of()))) {
        assertThat(db.description()).isEqualTo(url);
        db.store().addUser("admin", List.of("admin"), HASH, "slipway", null);
      }

      assertThat(serverData.resolve("postgres")).as("no embedded PostgreSQL").doesNotExist();
      try (Connection c = DriverManager.getConnection(external.jdbcUrl(), external.user(), external.password());
           Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM users")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("admin");
      }
      Files.writeString(passwordFile, "not-the-password\n");
      assertThatThrownBy(() -> open(serverData, ServerDatabase.settings(url, passwordFile, Map.of())))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("refused the login")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-password"));
    }
  }

  private static ServerDatabase open(Path dataDir, ServerDatabase.Settings settings) throws StoreException {
    return ServerDatabase.open(dataDir, settings, JdbcAuditLog::new, Clock.systemUTC(), line -> { });
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private long postmasterPid() throws Exception {
    return Long.parseLong(Files.readAllLines(data.resolve("postgres/pgdata/postmaster.pid")).get(0).strip());
  }
}
