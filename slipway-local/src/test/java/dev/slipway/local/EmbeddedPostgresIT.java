package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.engine.runtime.BackingService;
import dev.slipway.engine.runtime.ProcessState;
import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.BackingServiceSpec.Provider;
import dev.slipway.model.BackingServiceType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresIT {

  static final BackingServiceSpec DB =
      new BackingServiceSpec("db", BackingServiceType.POSTGRES, "15", Provider.EMBEDDED, null, "shop", "shopper");

  @TempDir
  Path base;
  private final SecretMasker masker = new SecretMasker();
  private LocalTarget target;

  @BeforeEach
  void setUp() {
    target = new LocalTarget("shop", base, base.resolve(".slipway"), masker);
  }

  @AfterEach
  void noProcessLeftBehind() throws Exception {
    target.close();
    Procs.assertNothingLeft(base);
  }

  static Connection connectAsApp(BackingService db) throws Exception {
    Map<String, String> e = db.endpoint();
    return PostgresProbe.connect(e.get("jdbcUrl"), e.get("username"), e.get("password"), 2);
  }

  static String queryOne(Connection c, String sql) throws Exception {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void start_appUserConnectsWithTheGeneratedPasswordToItsDatabase() throws Exception {
    long t0 = System.nanoTime();
    BackingService db = target.startBackingService(DB, null);
    System.out.printf("embedded postgres first start (initdb): %d ms%n",
        (System.nanoTime() - t0) / 1_000_000);

    Map<String, String> e = db.endpoint();
    assertThat(e).containsKeys("url", "jdbcUrl", "host", "port", "username", "password", "database");
    assertThat(e.get("jdbcUrl")).isEqualTo("jdbc:postgresql://127.0.0.1:" + e.get("port") + "/shop");
    assertThat(e.get("url")).isEqualTo("postgresql://shopper:" + e.get("password") + "@127.0.0.1:" + e.get("port") + "/shop");
    assertThat(e.get("password")).hasSizeGreaterThanOrEqualTo(24);
    assertThat(masker.mask(e.get("url"))).doesNotContain(e.get("password"));
    try (Connection c = connectAsApp(db)) {
      assertThat(queryOne(c, "SELECT current_user")).isEqualTo("shopper");
      assertThat(queryOne(c, "SELECT current_database()")).isEqualTo("shop");
      assertThat(queryOne(c, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'shop'"))
          .isEqualTo("shopper");
    }
    assertThat(db.healthy()).isTrue();
    assertThat(db.state()).isEqualTo(ProcessState.RUNNING);
  }

  @Test
  void server_runsAsAProcessGroupWeOwn_andNothingRemainsAfterStop() throws Exception {
    BackingService db = target.startBackingService(DB, null);
    long pid = db.pid();
    ProcStat postmaster = ProcStat.read(pid).orElseThrow();
    assertThat(postmaster.pgid()).isEqualTo(pid);
    assertThat(postmaster.session()).isEqualTo(pid);
    assertThat(postmaster.ppid()).isEqualTo(ProcessHandle.current().pid());
    Set<ProcessGroups.Key> family = ProcessGroups.family(pid);
    assertThat(family).hasSizeGreaterThan(3); // checkpointer, walwriter, ... in sessions of their own
    assertThat(Files.readString(base.resolve(".slipway/run/processes.json"))).contains("\"db\"");

    db.stop(Duration.ofSeconds(10));

    assertThat(family).noneMatch(ProcessGroups.Key::alive);
    assertThat(db.state()).isEqualTo(ProcessState.STOPPED);
    assertThat(db.healthy()).isFalse();
    assertThat(Procs.under(base)).isEmpty();
    assertThat(Files.readString(base.resolve(".slipway/run/processes.json"))).doesNotContain("\"db\"");
  }

  @Test
  void data_survivesStopAndStart_withTheSamePasswordAndPort() throws Exception {
    BackingService db = target.startBackingService(DB, null);
    try (Connection c = connectAsApp(db); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE orders (id int PRIMARY KEY, item text)");
      st.execute("INSERT INTO orders VALUES (1, 'kayak')");
    }
    Map<String, String> before = db.endpoint();
    db.stop(Duration.ofSeconds(10));

    long t0 = System.nanoTime();
    BackingService again = target.startBackingService(DB, null);
    System.out.printf("embedded postgres warm start (existing data): %d ms%n", (System.nanoTime() - t0) / 1_000_000);

    assertThat(again.endpoint()).isEqualTo(before);
    try (Connection c = connectAsApp(again)) {
      assertThat(queryOne(c, "SELECT item FROM orders WHERE id = 1")).isEqualTo("kayak");
    }
  }

  @Test
  void server_whenKilledWith9_isRestartedAndServesTheSameData() throws Exception {
    BackingService db = target.startBackingService(DB, null);
    try (Connection c = connectAsApp(db); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (v text)");
      st.execute("INSERT INTO t VALUES ('still here')");
    }
    long first = db.pid();

    ProcessHandle.of(first).orElseThrow().destroyForcibly();

    assertThat(Procs.await(Duration.ofSeconds(20), () -> db.pid() != first && db.healthy()))
        .as("healthy again after a crash").isTrue();
    assertThat(db.restarts()).isGreaterThanOrEqualTo(1);
    try (Connection c = connectAsApp(db)) {
      assertThat(queryOne(c, "SELECT v FROM t")).isEqualTo("still here");
    }
  }

  @Test
  void start_withAnUnsupportedVersion_suggestsVersion15OrProviderLocal() {
    BackingServiceSpec v16 = new BackingServiceSpec("db", BackingServiceType.POSTGRES, "16", Provider.EMBEDDED,
        null, "shop", "shop");

    assertThatThrownBy(() -> target.startBackingService(v16, null))
        .isInstanceOfSatisfying(TargetException.class, e -> {
          assertThat(e.getMessage()).contains("not 16");
          assertThat(e.hint()).contains("version: \"15\"").contains("provider: local");
        });
  }

  @Test
  void deleteData_refusesWhileRunning_thenRemovesTheDataDirectory() throws Exception {
    BackingService db = target.startBackingService(DB, null);
    assertThatThrownBy(() -> target.deleteData(java.util.List.of("db")))
        .isInstanceOf(TargetException.class).hasMessageContaining("still running");
    db.stop(Duration.ofSeconds(10));

    assertThat(target.deleteData(java.util.List.of("db"))).containsExactly("deleted .slipway/data/db");
    assertThat(base.resolve(".slipway/data/db")).doesNotExist();
  }
}
