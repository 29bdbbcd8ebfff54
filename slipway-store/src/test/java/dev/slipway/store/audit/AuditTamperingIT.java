package dev.slipway.store.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.team.AuditChain;
import dev.slipway.api.team.AuditEntryView;
import dev.slipway.api.team.AuditReport;
import dev.slipway.api.team.AuditReport.Kind;
import dev.slipway.api.team.AuditVerifier;
import dev.slipway.api.team.CheckpointView;
import dev.slipway.store.PostgresServer;
import dev.slipway.store.StoreDatabase;
import dev.slipway.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Someone with write access to the team database edits, deletes, inserts or cuts off audit entries
 * with plain SQL; {@link AuditVerifier} over what the server would list names what happened. Each test
 * starts from the same story of six entries, with checkpoints signed after the second and the sixth
 * (the latter also "exported", kept away from the database).
 */
class AuditTamperingIT {
  @RegisterExtension
  static final PostgresServer postgres = new PostgresServer();

  @TempDir
  Path dir;
  private StoreDatabase db;
  private DataSource source;
  private AuditLog log;
  private AuditSigner signer;
  private CheckpointView exported;

  @BeforeEach
  void story() throws Exception {
    db = TeamSchema.open(postgres.newDatabase());
    source = db.dataSource();
    log = new JdbcAuditLog(db, new TickingClock(Instant.parse("2026-12-07T09:00:00Z"), Duration.ofMinutes(1)));
    signer = AuditSigner.open(dir.resolve("audit-key.pem"));
    log.append(NewAuditEntry.of("admin", "user.add", null, null).withDetails("{\"roles\":[\"deployer\"],\"user\":\"alice\"}"));
    log.append(new NewAuditEntry("alice", "deploy", "staging", "api", "api-1", "api-2", "sha256:11", "sha256:22", null, null));
    log.checkpoint(signer);
    log.append(NewAuditEntry.of("alice", "promotion.request", "production", "api"));
    log.append(NewAuditEntry.of("bob", "approve", "production", null).withReason("looks good"));
    log.append(new NewAuditEntry("server", "deploy", "production", "api", "api-1", "api-2", "sha256:11", "sha256:22", null, null));
    log.append(NewAuditEntry.of("admin", "freeze", "production", null).withReason("release freeze"));
    exported = log.checkpoint(signer);
  }

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void untouched_trailVerifies_underBothCheckpoints() throws Exception {
    AuditReport report = verify(exported);

    assertThat(report.ok()).as(report.text()).isTrue();
    assertThat(report.signedCount()).isEqualTo(6);
    assertThat(report.text()).startsWith("audit trail intact: 6 entries, head " + exported.headHash().substring(0, 12));
  }

  @Test
  void editingARow_isReportedAsChanged_namingTheEntryAndWhatToDo() throws Exception {
    sql("UPDATE audit_entries SET reason = 'no objection' WHERE seq = 4");

    AuditReport.Finding first = verify(null).first().orElseThrow();

    assertThat(first.kind()).isEqualTo(Kind.CHANGED);
    assertThat(first.seq()).isEqualTo(4);
    assertThat(first.text()).isEqualTo("changed: entry 4 (approve in production by bob at 2026-12-07T09:04:00Z) does not"
        + " match its hash: it was edited after it was written. What to do: trust no entry from 4 on; restore the team"
        + " database from a backup taken before the change, and find out who could write to it (its logs and users)");
  }

  @Test
  void editingARowAndRecomputingItsHash_isReportedAsChanged() throws Exception {
    sql("UPDATE audit_entries SET actor = 'mallory' WHERE seq = 4");
    rehash(4);

    AuditReport.Finding first = verify(null).first().orElseThrow();

    assertThat(first.kind()).isEqualTo(Kind.CHANGED);
    assertThat(first.seq()).isEqualTo(4);
    assertThat(first.problem()).startsWith("entry 4 (approve in production by mallory at 2026-12-07T09:04:00Z) was edited"
        + " and its hash recomputed: entry 5 still links to the hash it had");
  }

  @Test
  void deletingARow_isReportedAsRemoved() throws Exception {
    sql("DELETE FROM audit_entries WHERE seq = 3");

    AuditReport.Finding first = verify(null).first().orElseThrow();

    assertThat(first.kind()).isEqualTo(Kind.REMOVED);
    assertThat(first.seq()).isEqualTo(3);
    assertThat(first.problem()).isEqualTo("entry 3 is missing: the trail goes from entry 2 (deploy api in staging by"
        + " alice at 2026-12-07T09:01:00Z) to entry 4 (approve in production by bob at 2026-12-07T09:04:00Z)");
  }

  @Test
  void deletingARowAndRenumberingTheRest_isReportedAsRemoved() throws Exception {
    sql("DELETE FROM audit_entries WHERE seq = 3");
    renumberFrom(4, -1);

    AuditReport report = verify(exported);
    AuditReport.Finding first = report.first().orElseThrow();

    assertThat(first.kind()).isEqualTo(Kind.REMOVED);
    assertThat(first.seq()).isEqualTo(3);
    assertThat(first.problem()).startsWith("entry 3 was removed and the later entries renumbered: entry 3 (approve in"
        + " production by bob at 2026-12-07T09:04:00Z) matches its hash only as entry 4");
    assertThat(report.findings()).extracting(AuditReport.Finding::kind).contains(Kind.TRUNCATED);
  }

  @Test
  void insertingARow_isReportedAsInserted() throws Exception {
    renumberFrom(3, +1);
    insertForged(3, "2026-12-07T09:01:30Z", "mallory", "approve", hashOf(2));

    AuditReport.Finding first = verify(null).first().orElseThrow();

    assertThat(first.kind()).isEqualTo(Kind.INSERTED);
    assertThat(first.seq()).isEqualTo(3);
    assertThat(first.problem()).isEqualTo("entry 3 (approve in production by mallory at 2026-12-07T09:01:30Z) was not"
        + " written by the server: entry 4 links past it to entry 2");
  }

  /**
   * The attacker recomputes every hash after the insertion, so the chain itself is intact again: the
   * checkpoints' signed head hashes are what give it away, and the server refuses to sign over it.
   */
  @Test
  void insertingARowAndRecomputingEveryHash_isCaughtByTheCheckpoints() throws Exception {
    renumberFrom(3, +1);
    insertForged(3, "2026-12-07T09:01:30Z", "mallory", "approve", hashOf(2));
    rehashFrom(3);

    AuditReport report = verify(null);
    AuditReport.Finding first = report.first().orElseThrow();

    assertThat(report.verified()).as("the chain alone looks intact").isEqualTo(7);
    assertThat(first.kind()).isEqualTo(Kind.REWRITTEN);
    assertThat(first.seq()).isEqualTo(6);
    assertThat(first.problem()).startsWith("the checkpoint of 2026-12-07T09:07:00Z signed 6 entries ending in "
        + exported.headHash().substring(0, 12) + "…, but entry 6 (deploy api in production by server at"
        + " 2026-12-07T09:05:00Z) hashes to ");
    assertThat(first.problem()).endsWith(": entries between entry 3 and entry 6 (an earlier checkpoint still matches the"
        + " first 2) were changed, removed or inserted and every later hash recomputed");
    assertThatThrownBy(() -> log.checkpoint(signer)).isInstanceOf(StoreException.class)
        .hasMessageContaining("the audit trail no longer extends what was signed");

    sql("DELETE FROM audit_checkpoints");
    assertThat(verify(null).ok()).as("without any checkpoint the rewrite cannot be seen").isTrue();
    AuditReport withExport = verify(exported);
    assertThat(withExport.first().orElseThrow().kind()).isEqualTo(Kind.REWRITTEN);
    assertThat(withExport.first().orElseThrow().problem()).startsWith("the exported checkpoint of 2026-12-07T09:07:00Z signed 6");
  }

  @Test
  void truncatingTheTail_isCaughtByAnExportedCheckpoint() throws Exception {
    sql("DELETE FROM audit_entries WHERE seq > 4");
    sql("UPDATE audit_head SET seq = 4, hash = '" + hashOf(4) + "'");
    sql("DELETE FROM audit_checkpoints WHERE count > 4");

    assertThat(verify(null).ok()).as("the cut trail on its own is a valid, shorter chain").isTrue();
    AuditReport report = verify(exported);

    assertThat(report.ok()).isFalse();
    assertThat(report.first().orElseThrow().kind()).isEqualTo(Kind.TRUNCATED);
    assertThat(report.first().orElseThrow().text()).startsWith("truncated: the exported checkpoint of 2026-12-07T09:07:00Z"
        + " names 6 entries, the trail has 4: its tail was cut off. What to do: restore the missing entries from a backup"
        + " taken after 2026-12-07T09:07:00Z");
  }

  @Test
  void truncatingTheTail_whileTheServersCheckpointsRemain_isCaughtByThem() throws Exception {
    sql("DELETE FROM audit_entries WHERE seq > 4");

    AuditReport report = verify(null);

    assertThat(report.first().orElseThrow().kind()).isEqualTo(Kind.TRUNCATED);
    assertThat(report.first().orElseThrow().problem()).startsWith("the checkpoint of 2026-12-07T09:07:00Z names 6 entries,"
        + " the trail has 4");
  }

  @Test
  void aCheckpointSignedWithAnotherKey_isNotTrusted() throws Exception {
    AuditSigner other = AuditSigner.open(dir.resolve("other-key.pem"));
    CheckpointView forged = other.sign(exported.count(), exported.headHash(), exported.at());
    sql("UPDATE audit_checkpoints SET public_key = '" + forged.publicKey() + "', signature = '" + forged.signature()
        + "' WHERE count = 6");

    AuditReport report = AuditVerifier.verify(entries(), log.checkpoints(), null, signer.publicKey());

    assertThat(report.first().orElseThrow().kind()).isEqualTo(Kind.UNTRUSTED_KEY);
    assertThat(AuditVerifier.verify(entries(), log.checkpoints(), exported, null).first().orElseThrow().kind())
        .as("an exported checkpoint's key is trusted").isEqualTo(Kind.UNTRUSTED_KEY);
  }

  private AuditReport verify(CheckpointView export) throws Exception {
    return AuditVerifier.verify(entries(), log.checkpoints(), export, null);
  }

  private List<AuditEntryView> entries() throws Exception {
    return log.list(null, null, 0, 1000);
  }

  private String hashOf(long seq) throws Exception {
    return entries().stream().filter(e -> e.seq() == seq).findFirst().orElseThrow().hash();
  }

  private void sql(String statement) throws Exception {
    try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  /** Moves entries from {@code seq} on by {@code by}, through a detour that keeps the primary key unique. */
  private void renumberFrom(long seq, int by) throws Exception {
    sql("UPDATE audit_entries SET seq = seq + 1000000 WHERE seq >= " + seq);
    sql("UPDATE audit_entries SET seq = seq - 1000000 + (" + by + ") WHERE seq >= 1000000");
  }

  private void insertForged(long seq, String at, String actor, String action, String prevHash) throws Exception {
    AuditEntryView forged = new AuditEntryView(seq, Instant.parse(at), actor, action, "production", null, null, null,
        null, null, null, null, prevHash, null);
    try (Connection c = source.getConnection(); PreparedStatement s = c.prepareStatement("INSERT INTO audit_entries"
        + " (seq, at, actor, action, environment, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      s.setLong(1, seq);
      s.setObject(2, OffsetDateTime.ofInstant(forged.at(), ZoneOffset.UTC));
      s.setString(3, actor);
      s.setString(4, action);
      s.setString(5, "production");
      s.setString(6, prevHash);
      s.setString(7, AuditChain.hash(prevHash, forged));
      s.executeUpdate();
    }
  }

  /** Recomputes one entry's hash from its stored prevHash, as an attacker covering an edit would. */
  private void rehash(long seq) throws Exception {
    AuditEntryView e = entries().stream().filter(x -> x.seq() == seq).findFirst().orElseThrow();
    sql("UPDATE audit_entries SET hash = '" + AuditChain.hash(e.prevHash(), e) + "' WHERE seq = " + seq);
  }

  /** Relinks and recomputes every hash from {@code seq} on, and moves the head to match. */
  private void rehashFrom(long seq) throws Exception {
    String prev = hashOf(seq - 1);
    long last = 0;
    for (AuditEntryView e : entries()) {
      if (e.seq() < seq) {
        continue;
      }
      String hash = AuditChain.hash(prev, e);
      sql("UPDATE audit_entries SET prev_hash = '" + prev + "', hash = '" + hash + "' WHERE seq = " + e.seq());
      prev = hash;
      last = e.seq();
    }
    sql("UPDATE audit_head SET seq = " + last + ", hash = '" + prev + "'");
  }
}
