package dev.slipway.store.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.team.AuditChain;
import dev.slipway.api.team.AuditEntryView;
import dev.slipway.api.team.AuditVerifier;
import dev.slipway.api.team.CheckpointView;
import dev.slipway.store.PostgresServer;
import dev.slipway.store.StoreDatabase;
import dev.slipway.store.StoreException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The audit log on a real PostgreSQL: numbering, chaining, transactions, concurrency, checkpoints. */
class JdbcAuditLogIT {
  @RegisterExtension
  static final PostgresServer postgres = new PostgresServer();

  private static final Instant START = Instant.parse("2026-12-07T09:00:00.123456Z");

  @TempDir
  Path dir;
  private String url;
  private StoreDatabase db;
  private DataSource source;
  private TickingClock clock;
  private AuditLog log;

  @BeforeEach
  void freshDatabase() throws Exception {
    url = postgres.newDatabase();
    db = TeamSchema.open(url);
    source = db.dataSource();
    clock = new TickingClock(START, Duration.ofSeconds(1));
    log = new JdbcAuditLog(db, clock);
  }

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void append_numbersFromOne_chainsEachEntryToTheOneBefore_andReadsBackExactly() throws Exception {
    AuditEntryView first = log.append(NewAuditEntry.of("admin", "user.add", null, null).withDetails("{\"user\":\"alice\"}"));
    AuditEntryView second = log.append(new NewAuditEntry("alice", "deploy", "staging", "api", "api-1", "api-2",
        "sha256:aa", "sha256:bb", "ship it \"now\"\n\tplease ✓", null));

    assertThat(first.seq()).isEqualTo(1);
    assertThat(first.prevHash()).isEqualTo(AuditChain.GENESIS);
    assertThat(first.at()).isEqualTo(Instant.parse("2026-12-07T09:00:00.123Z"));
    assertThat(first.hash()).isEqualTo(AuditChain.hash(AuditChain.GENESIS, first));
    assertThat(second.seq()).isEqualTo(2);
    assertThat(second.prevHash()).isEqualTo(first.hash());
    assertThat(second.hash()).isEqualTo(AuditChain.hash(first.hash(), second));
    assertThat(log.list(null, null, 0, 100)).containsExactly(first, second);
    assertThat(log.count()).isEqualTo(2);
    assertThat(log.head()).contains(second);
    assertThat(AuditVerifier.verify(log.list(null, null, 0, 100), List.of(), null, null).ok()).isTrue();
  }

  @Test
  void emptyTrail_hasNoHead_andCountsZero() throws Exception {
    assertThat(log.count()).isZero();
    assertThat(log.head()).isEmpty();
    assertThat(log.list(null, null, 0, 10)).isEmpty();
    assertThat(log.latestCheckpoint()).isEmpty();
  }

  @Test
  void append_onTheCallersConnection_commitsAndRollsBackWithTheCallersOwnChange() throws Exception {
    try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE test_changes (environment TEXT)");
      c.setAutoCommit(false);
      s.execute("INSERT INTO test_changes VALUES ('production')");
      log.append(c, NewAuditEntry.of("admin", "freeze", "production", null));
      c.rollback();
      assertThat(log.count()).isZero();

      s.execute("INSERT INTO test_changes VALUES ('production')");
      AuditEntryView entry = log.append(c, NewAuditEntry.of("admin", "freeze", "production", null));
      assertThat(log.count()).as("not visible before the caller commits").isZero();
      c.commit();

      assertThat(entry.seq()).as("the rolled-back entry left no gap").isEqualTo(1);
      assertThat(log.list(null, null, 0, 10)).containsExactly(entry);
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM test_changes")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void append_onAnAutoCommitConnection_isRefused() throws Exception {
    try (Connection c = source.getConnection()) {
      assertThatThrownBy(() -> log.append(c, NewAuditEntry.of("admin", "freeze", "production", null)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("turn auto-commit off");
    }
    assertThat(log.count()).isZero();
  }

  @Test
  void list_filtersByEnvironmentAndSince_andPagesByAfterSeq_oldestFirst() throws Exception {
    List<AuditEntryView> all = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      all.add(log.append(NewAuditEntry.of("alice", "deploy", i % 2 == 0 ? "staging" : "production", "api")));
    }

    assertThat(log.list("production", null, 0, 100)).extracting(AuditEntryView::seq).containsExactly(2L, 4L, 6L);
    assertThat(log.list(null, all.get(3).at(), 0, 100)).extracting(AuditEntryView::seq).containsExactly(4L, 5L, 6L);
    assertThat(log.list("staging", all.get(1).at(), 0, 100)).extracting(AuditEntryView::seq).containsExactly(3L, 5L);
    assertThat(log.list(null, null, 2, 3)).extracting(AuditEntryView::seq).containsExactly(3L, 4L, 5L);
    assertThat(log.list(null, null, 6, 3)).isEmpty();
  }

  /**
   * Two child JVMs and six threads append at once (the threads keep going until both children are
   * done, so the processes really overlap), half the threads on connections of their own, half on the
   * store's one connection: one chain, 1 to N, no gap, no fork.
   */
  @Test
  void appends_fromManyThreadsAndTwoProcesses_formOneGaplessChain() throws Exception {
    int perProcess = 20;
    int threads = 6;
    List<Process> children = new ArrayList<>();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (String name : List.of("proc-a", "proc-b")) {
      children.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), AuditAppender.class.getName(),
          url, name, Integer.toString(perProcess)).redirectError(dir.resolve(name + ".err").toFile()).start());
    }
    for (Process child : children) {
      // The threads start once both children append, so that all of them overlap.
      var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).as("child log in " + dir).isEqualTo("started");
    }
    List<AuditLog> logs = List.of(new JdbcAuditLog(source), new JdbcAuditLog(db));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Map<String, Long> appended = new ConcurrentHashMap<>();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String actor = "thread-" + t;
        AuditLog shared = logs.get(t % 2);
        done.add(pool.submit(() -> {
          long n = 0;
          while (n < 5 || children.stream().anyMatch(Process::isAlive)) {
            shared.append(NewAuditEntry.of(actor, "deploy", "staging", "api"));
            n++;
          }
          appended.put(actor, n);
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    for (Process child : children) {
      assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
      assertThat(child.exitValue()).as("child log in " + dir).isZero();
    }

    long total = 2L * perProcess + appended.values().stream().mapToLong(Long::longValue).sum();
    List<AuditEntryView> entries = log.list(null, null, 0, 10_000);
    assertThat(entries).extracting(AuditEntryView::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    assertThat(log.count()).isEqualTo(total);
    Map<String, Long> byActor = entries.stream().collect(Collectors.groupingBy(AuditEntryView::actor, Collectors.counting()));
    appended.put("proc-a", (long) perProcess);
    appended.put("proc-b", (long) perProcess);
    assertThat(byActor).isEqualTo(appended);
    var report = AuditVerifier.verify(entries, List.of(), null, null);
    assertThat(report.ok()).as(report.text()).isTrue();
    assertThat(report.verified()).isEqualTo(total);
  }

  @Test
  void checkpoint_signsCountAndHead_isStored_andVerifiesWithTheSignersKey() throws Exception {
    AuditSigner signer = AuditSigner.open(dir.resolve("keys/audit-key.pem"));
    CheckpointView empty = log.checkpoint(signer);
    assertThat(empty.count()).isZero();
    assertThat(empty.headHash()).isEqualTo(AuditChain.GENESIS);

    log.append(NewAuditEntry.of("alice", "deploy", "staging", "api"));
    AuditEntryView second = log.append(NewAuditEntry.of("bob", "approve", "production", null));
    CheckpointView two = log.checkpoint(signer);
    AuditEntryView third = log.append(NewAuditEntry.of("alice", "promote", "production", "api"));
    CheckpointView three = log.checkpoint(signer);

    assertThat(two.count()).isEqualTo(2);
    assertThat(two.headHash()).isEqualTo(second.hash());
    assertThat(two.publicKey()).isEqualTo(signer.publicKey());
    assertThat(AuditVerifier.signatureValid(two)).isTrue();
    assertThat(three.headHash()).isEqualTo(third.hash());
    assertThat(log.checkpoints()).containsExactly(empty, two, three);
    assertThat(log.latestCheckpoint()).contains(three);
    var report = AuditVerifier.verify(log.list(null, null, 0, 100), log.checkpoints(), null, signer.publicKey());
    assertThat(report.ok()).as(report.text()).isTrue();
    assertThat(report.signedCount()).isEqualTo(3);
  }

  @Test
  void checkpoint_refusesToSignOverAnEntryEditedSinceTheLastOne() throws Exception {
    AuditSigner signer = AuditSigner.open(dir.resolve("audit-key.pem"));
    for (int i = 0; i < 3; i++) {
      log.append(NewAuditEntry.of("alice", "deploy", "staging", "api"));
    }
    log.checkpoint(signer);
    log.append(NewAuditEntry.of("alice", "deploy", "staging", "web"));
    log.append(NewAuditEntry.of("alice", "deploy", "staging", "worker"));
    sql("UPDATE audit_entries SET actor = 'mallory' WHERE seq = 4");

    assertThatThrownBy(() -> log.checkpoint(signer))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("the audit trail no longer extends what was signed: entry 4 (deploy web in staging by mallory at")
        .hasMessageContaining("does not match its hash")
        .hasMessageContaining("run slipway audit verify to see what changed");
    assertThat(log.checkpoints()).hasSize(1);
  }

  @Test
  void checkpoint_refusesToSignWhenTheSignedEntryItselfChanged() throws Exception {
    AuditSigner signer = AuditSigner.open(dir.resolve("audit-key.pem"));
    log.append(NewAuditEntry.of("alice", "deploy", "staging", "api"));
    log.append(NewAuditEntry.of("alice", "deploy", "staging", "web"));
    log.checkpoint(signer);
    sql("UPDATE audit_entries SET reason = 'nothing to see' WHERE seq = 2");

    assertThatThrownBy(() -> log.checkpoint(signer))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("entry 2 (deploy web in staging by alice at")
        .hasMessageContaining("the last one the checkpoint of");
  }

  private void sql(String statement) throws Exception {
    try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }
}
