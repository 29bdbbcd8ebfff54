package dev.slipway.api.team;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.team.AuditReport.Finding;
import dev.slipway.api.team.AuditReport.Kind;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verifier on chains built in memory: each way of breaking one, and what checkpoints add. */
class AuditVerifierTest {
  private static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");
  private static final KeyPair SERVER = keys();
  private static final KeyPair OTHER = keys();

  @Test
  void emptyTrail_isIntact_butNotesThatNothingIsSigned() {
    AuditReport report = AuditVerifier.verify(List.of(), null, null, null);

    assertThat(report.ok()).isTrue();
    assertThat(report.entries()).isZero();
    assertThat(report.headHash()).isEqualTo(AuditChain.GENESIS);
    assertThat(report.notes()).singleElement().asString().startsWith("no signed checkpoint");
  }

  @Test
  void intactChain_underAValidCheckpoint_isOk_andSaysWhatIsNotYetSigned() {
    List<AuditEntryView> trail = chain(5);

    AuditReport report = AuditVerifier.verify(trail, List.of(checkpoint(SERVER, trail, 3)), null, publicKey(SERVER));

    assertThat(report.ok()).as(report.text()).isTrue();
    assertThat(report.verified()).isEqualTo(5);
    assertThat(report.signedCount()).isEqualTo(3);
    assertThat(report.headHash()).isEqualTo(trail.get(4).hash());
    assertThat(report.notes()).containsExactly("entries 4 to 5 are not under a signed checkpoint yet");
  }

  @Test
  void entriesInAnyOrder_areCheckedInSeqOrder() {
    List<AuditEntryView> trail = new ArrayList<>(chain(4));
    java.util.Collections.reverse(trail);

    assertThat(AuditVerifier.verify(trail, List.of(), null, null).ok()).isTrue();
  }

  @Test
  void removingTheFirstEntry_isAGapAtTheStart() {
    List<AuditEntryView> trail = new ArrayList<>(chain(3));
    trail.remove(0);

    Finding first = AuditVerifier.verify(trail, List.of(), null, null).first().orElseThrow();

    assertThat(first.kind()).isEqualTo(Kind.REMOVED);
    assertThat(first.problem()).isEqualTo("entry 1 is missing: the trail goes from its start to entry 2 (deploy api in"
        + " staging by user2 at 2026-12-07T09:02:00Z)");
  }

  @Test
  void removingTwoEntriesAndRenumbering_namesBoth() {
    List<AuditEntryView> trail = new ArrayList<>(chain(6));
    trail.remove(2);
    trail.remove(2);
    for (int i = 2; i < trail.size(); i++) {
      trail.set(i, withSeq(trail.get(i), i + 1));
    }

    Finding first = AuditVerifier.verify(trail, List.of(), null, null).first().orElseThrow();

    assertThat(first.kind()).isEqualTo(Kind.REMOVED);
    assertThat(first.seq()).isEqualTo(3);
    assertThat(first.problem()).startsWith("entries 3 to 4 were removed and the later entries renumbered");
  }

  @Test
  void anInsertedEntryWithABogusHash_isInserted_sinceWithoutItTheLinksHold() {
    List<AuditEntryView> trail = new ArrayList<>(chain(4));
    for (int i = 2; i < trail.size(); i++) {
      trail.set(i, withSeq(trail.get(i), i + 2));
    }
    trail.add(2, new AuditEntryView(3, T0, "mallory", "approve", "production", null, null, null, null, null, null, null,
        "f".repeat(64), "e".repeat(64)));

    Finding first = AuditVerifier.verify(trail, List.of(), null, null).first().orElseThrow();

    assertThat(first.kind()).isEqualTo(Kind.INSERTED);
    assertThat(first.seq()).isEqualTo(3);
    assertThat(first.problem()).isEqualTo("entry 3 (approve in production by mallory at 2026-12-07T09:00:00Z) was not"
        + " written by the server: without it, entry 4 links to entry 2");
  }

  @Test
  void aSecondEntryWithTheSameSeq_isInserted() {
    List<AuditEntryView> trail = new ArrayList<>(chain(3));
    AuditEntryView twin = new AuditEntryView(2, T0, "mallory", "approve", "production", null, null, null, null, null,
        null, null, trail.get(0).hash(), null);
    trail.add(2, hashed(twin, trail.get(0).hash()));

    Finding first = AuditVerifier.verify(trail, List.of(), null, null).first().orElseThrow();

    assertThat(first.kind()).isEqualTo(Kind.INSERTED);
    assertThat(first.problem()).startsWith("two entries are numbered 2; entry 2 (approve in production by mallory");
  }

  @Test
  void theFirstEntryLinkingElsewhere_isChanged() {
    List<AuditEntryView> trail = new ArrayList<>(chain(2));
    AuditEntryView e = trail.get(0);
    trail.set(0, hashed(e, "a".repeat(64)));

    Finding first = AuditVerifier.verify(trail, List.of(), null, null).first().orElseThrow();

    assertThat(first.kind()).isEqualTo(Kind.CHANGED);
    assertThat(first.seq()).isEqualTo(1);
  }

  @Test
  void aCheckpointWithABrokenSignature_isReported_andVouchesForNothing() {
    List<AuditEntryView> trail = chain(3);
    CheckpointView good = checkpoint(SERVER, trail, 3);
    CheckpointView altered = new CheckpointView(2, trail.get(1).hash(), good.at(), good.publicKey(), good.signature());

    AuditReport report = AuditVerifier.verify(trail, List.of(altered), null, null);

    assertThat(report.first().orElseThrow().kind()).isEqualTo(Kind.BAD_SIGNATURE);
    assertThat(report.first().orElseThrow().problem()).isEqualTo("the checkpoint of 2026-12-07T10:00:00Z (2 entries) does"
        + " not carry a valid signature: it was altered or forged");
    assertThat(report.signedCount()).isZero();
    assertThat(AuditVerifier.signatureValid(good)).isTrue();
    assertThat(AuditVerifier.signatureValid(altered)).isFalse();
    assertThat(AuditVerifier.signatureValid(new CheckpointView(3, good.headHash(), good.at(), "not base64!", "x"))).isFalse();
  }

  @Test
  void aCheckpointFromAnotherKey_isUntrusted_whenTheServersKeyIsGiven() {
    List<AuditEntryView> trail = chain(3);

    AuditReport report = AuditVerifier.verify(trail, List.of(checkpoint(OTHER, trail, 3)), null, publicKey(SERVER));

    assertThat(report.first().orElseThrow().kind()).isEqualTo(Kind.UNTRUSTED_KEY);
    assertThat(report.signedCount()).isZero();
  }

  @Test
  void checkpointsPastTheBreak_areNotCompared_butSaidSo() {
    List<AuditEntryView> trail = new ArrayList<>(chain(5));
    List<CheckpointView> checkpoints = List.of(checkpoint(SERVER, trail, 1), checkpoint(SERVER, trail, 4));
    trail.set(1, new AuditEntryView(2, T0, "mallory", "deploy", null, null, null, null, null, null, null, null,
        trail.get(1).prevHash(), trail.get(1).hash()));

    AuditReport report = AuditVerifier.verify(trail, checkpoints, null, null);

    assertThat(report.findings()).extracting(Finding::kind).containsExactly(Kind.CHANGED);
    assertThat(report.signedCount()).isEqualTo(1);
    assertThat(report.notes()).contains("1 checkpoint names entries past the break and could not be compared");
    assertThat(report.text()).startsWith("audit trail TAMPERED: 1 finding (5 entries, the first 1 intact)\n  changed: entry 2");
  }

  @Test
  void aFullyRecomputedRewrite_isPlacedBetweenTheLastMatchingCheckpointAndTheFirstThatDoesNot() {
    List<AuditEntryView> trail = chain(6);
    List<CheckpointView> checkpoints = List.of(checkpoint(SERVER, trail, 2), checkpoint(SERVER, trail, 4),
        checkpoint(SERVER, trail, 6));
    List<AuditEntryView> rewritten = new ArrayList<>(trail.subList(0, 2));
    String prev = trail.get(1).hash();
    for (AuditEntryView e : trail.subList(2, 6)) {
      AuditEntryView edited = e.seq() == 3 ? new AuditEntryView(3, e.at(), "mallory", e.action(), e.environment(),
          e.service(), null, null, null, null, null, null, null, null) : e;
      AuditEntryView h = hashed(edited, prev);
      rewritten.add(h);
      prev = h.hash();
    }

    AuditReport report = AuditVerifier.verify(rewritten, checkpoints, null, null);

    assertThat(report.verified()).isEqualTo(6);
    assertThat(report.findings()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(Kind.REWRITTEN);
      assertThat(f.seq()).isEqualTo(4);
      assertThat(f.problem()).contains("(and 1 more)").contains("entries between entry 3 and entry 4");
      assertThat(f.fix()).startsWith("What to do: trust no entry from 3 on");
    });
  }

  private static List<AuditEntryView> chain(int n) {
    List<AuditEntryView> entries = new ArrayList<>();
    String prev = AuditChain.GENESIS;
    for (int i = 1; i <= n; i++) {
      AuditEntryView e = hashed(new AuditEntryView(i, T0.plusSeconds(60L * i), "user" + i, "deploy", "staging", "api",
          null, null, null, null, null, null, null, null), prev);
      entries.add(e);
      prev = e.hash();
    }
    return entries;
  }

  private static AuditEntryView hashed(AuditEntryView e, String prev) {
    AuditEntryView linked = new AuditEntryView(e.seq(), e.at(), e.actor(), e.action(), e.environment(), e.service(),
        e.beforeRelease(), e.afterRelease(), e.beforeDigest(), e.afterDigest(), e.reason(), e.details(), prev, null);
    return new AuditEntryView(e.seq(), e.at(), e.actor(), e.action(), e.environment(), e.service(), e.beforeRelease(),
        e.afterRelease(), e.beforeDigest(), e.afterDigest(), e.reason(), e.details(), prev, AuditChain.hash(prev, linked));
  }

  /** The entry moved to {@code seq} as a careless attacker would: stored hashes kept. */
  private static AuditEntryView withSeq(AuditEntryView e, long seq) {
    return new AuditEntryView(seq, e.at(), e.actor(), e.action(), e.environment(), e.service(), e.beforeRelease(),
        e.afterRelease(), e.beforeDigest(), e.afterDigest(), e.reason(), e.details(), e.prevHash(), e.hash());
  }

  private static CheckpointView checkpoint(KeyPair keys, List<AuditEntryView> trail, int count) {
    Instant at = Instant.parse("2026-12-07T10:00:00Z");
    String head = trail.get(count - 1).hash();
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(keys.getPrivate());
      s.update(AuditChain.checkpointText(count, head, at).getBytes(StandardCharsets.UTF_8));
      return new CheckpointView(count, head, at, publicKey(keys), Base64.getEncoder().encodeToString(s.sign()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String publicKey(KeyPair keys) {
    return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
  }

  private static KeyPair keys() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
