package dev.slipway.api.team;

import dev.slipway.api.team.AuditReport.Finding;
import dev.slipway.api.team.AuditReport.Kind;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * Checks an audit trail as the server listed it: recomputes the hash chain ({@link AuditChain}) and
 * names the first entry that was changed, removed or inserted; checks every checkpoint's Ed25519
 * signature and that its count and head hash match the recomputed chain (which catches a trail whose
 * hashes were all recomputed after an edit); and with a checkpoint exported earlier, a trail cut
 * back below it. Pure: it reads nothing but its arguments.
 *
 * <p>What no check here can catch: whoever holds the server's signing key can rewrite the trail and
 * sign new checkpoints over it; only exported checkpoints kept out of their reach, or a trusted key
 * they do not hold, stand against that.
 */
public final class AuditVerifier {
  /** How many renumbered-away entries a link is tried against; beyond this a removal reads as a change. */
  private static final int MAX_RENUMBERED = 64;
  private static final String ED25519 = "Ed25519";

  private AuditVerifier() {}

  /**
   * @param entries          the whole trail (no filter), in any order; seq decides
   * @param checkpoints      the server's checkpoints, or null
   * @param exported         a checkpoint saved earlier away from the server, or null
   * @param trustedPublicKey the server's public key (base64 X.509) known by other means, or null:
   *                         then the exported checkpoint's key is trusted, else each checkpoint's own
   */
  public static AuditReport verify(List<AuditEntryView> entries, List<CheckpointView> checkpoints,
      CheckpointView exported, String trustedPublicKey) {
    List<AuditEntryView> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(AuditEntryView::seq));
    List<String> hashes = new ArrayList<>();
    Finding chainBreak = walk(sorted, hashes);
    long lastSeq = sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1).seq();
    String trusted = trustedPublicKey != null ? trustedPublicKey : exported == null ? null : exported.publicKey();

    List<Labelled> all = new ArrayList<>();
    if (checkpoints != null) {
      checkpoints.forEach(c -> all.add(new Labelled(c, "the checkpoint of " + c.at())));
    }
    if (exported != null) {
      all.add(new Labelled(exported, "the exported checkpoint of " + exported.at()));
    }
    List<Labelled> badSignature = new ArrayList<>();
    List<Labelled> otherKey = new ArrayList<>();
    List<Labelled> mismatched = new ArrayList<>();
    Labelled truncated = null;
    long signedCount = 0;
    int beyondBreak = 0;
    for (Labelled l : all) {
      CheckpointView c = l.checkpoint;
      if (!signatureValid(c)) {
        badSignature.add(l);
      } else if (trusted != null && !sameKey(trusted, c.publicKey())) {
        otherKey.add(l);
      } else if (c.count() > lastSeq) {
        if (truncated == null || l.exported() || (!truncated.exported() && c.count() > truncated.checkpoint.count())) {
          truncated = l;
        }
      } else if (c.count() <= hashes.size()) {
        String recomputed = c.count() == 0 ? AuditChain.GENESIS : hashes.get((int) c.count() - 1);
        if (recomputed.equals(c.headHash())) {
          signedCount = Math.max(signedCount, c.count());
        } else {
          mismatched.add(l);
        }
      } else {
        beyondBreak++;
      }
    }

    List<Finding> findings = new ArrayList<>();
    if (chainBreak != null) {
      findings.add(chainBreak);
    }
    if (!mismatched.isEmpty()) {
      findings.add(rewritten(mismatched, all, sorted, hashes));
    }
    if (truncated != null) {
      CheckpointView c = truncated.checkpoint;
      findings.add(new Finding(Kind.TRUNCATED, c.count(), truncated.label + " names " + c.count() + " entries, the trail has "
          + sorted.size() + (sorted.size() == lastSeq ? "" : " (the last numbered " + lastSeq + ")")
          + ": its tail was cut off", "What to do: restore the missing entries from a backup taken after " + c.at()
          + ", and find out who could write to the team database (its logs and users)"));
    }
    findings.sort(Comparator.comparingLong(Finding::seq));
    if (!badSignature.isEmpty()) {
      Labelled l = badSignature.get(0);
      findings.add(new Finding(Kind.BAD_SIGNATURE, l.checkpoint.count(), l.label + " (" + l.checkpoint.count()
          + " entries)" + more(badSignature) + " does not carry a valid signature: it was altered or forged",
          "What to do: rely only on checkpoints whose signatures verify, and find out who could write to the team database"));
    }
    if (!otherKey.isEmpty()) {
      Labelled l = otherKey.get(0);
      findings.add(new Finding(Kind.UNTRUSTED_KEY, l.checkpoint.count(), l.label + " (" + l.checkpoint.count()
          + " entries)" + more(otherKey) + " is signed by a key other than the trusted one " + abbreviate(trusted),
          "What to do: if the server's key was replaced on purpose, verify against a checkpoint exported since;"
              + " otherwise someone signed over the trail with a key of their own"));
    }

    List<String> notes = new ArrayList<>();
    if (all.isEmpty()) {
      notes.add("no signed checkpoint: a trail whose hashes were recomputed after an edit, or cut at its end,"
          + " cannot be told from an intact one (the server signs one every minute the trail grew)");
    } else if (trusted == null) {
      notes.add("each checkpoint was checked with the key it names; pass the server's public key or an exported"
          + " checkpoint to know the key is the server's");
    }
    if (beyondBreak > 0) {
      notes.add(beyondBreak + (beyondBreak == 1 ? " checkpoint names" : " checkpoints name")
          + " entries past the break and could not be compared");
    }
    if (findings.isEmpty() && signedCount < sorted.size() && !all.isEmpty()) {
      notes.add("entries " + (signedCount + 1) + " to " + sorted.size() + " are not under a signed checkpoint yet");
    }
    String head = hashes.isEmpty() ? AuditChain.GENESIS : hashes.get(hashes.size() - 1);
    return new AuditReport(sorted.size(), hashes.size(), head, signedCount, findings, notes);
  }

  private record Labelled(CheckpointView checkpoint, String label) {
    boolean exported() {
      return label.startsWith("the exported");
    }
  }

  /**
   * Follows the chain from the start, adding each intact entry's hash to {@code hashes}, and returns
   * the first break (null if none). At a break the cases are told apart by what would restore the
   * links: dropping this entry or the one before (inserted), the entry before re-hashed (changed and
   * recomputed), this entry hashed under a higher seq (removed, later ones renumbered).
   */
  private static Finding walk(List<AuditEntryView> sorted, List<String> hashes) {
    for (int i = 0; i < sorted.size(); i++) {
      AuditEntryView e = sorted.get(i);
      AuditEntryView before = i == 0 ? null : sorted.get(i - 1);
      AuditEntryView after = i + 1 < sorted.size() ? sorted.get(i + 1) : null;
      long expectedSeq = hashes.size() + 1L;
      String prev = hashes.isEmpty() ? AuditChain.GENESIS : hashes.get(hashes.size() - 1);
      String prevPrev = hashes.size() >= 2 ? hashes.get(hashes.size() - 2) : hashes.size() == 1 ? AuditChain.GENESIS : null;
      boolean own = ownHash(e, e.seq());
      boolean linked = prev.equals(e.prevHash());
      if (e.seq() < expectedSeq) {
        boolean beforeIsForeign = own && e.prevHash() != null && e.prevHash().equals(prevPrev) && after != null
            && e.hash().equals(after.prevHash());
        AuditEntryView inserted = beforeIsForeign ? before : e;
        if (beforeIsForeign) {
          hashes.remove(hashes.size() - 1);
        }
        return broken(Kind.INSERTED, inserted, "two entries are numbered " + e.seq() + "; " + describe(inserted)
            + " does not belong to the chain");
      }
      if (e.seq() > expectedSeq) {
        String range = e.seq() == expectedSeq + 1 ? "entry " + expectedSeq + " is" : "entries " + expectedSeq + " to " + (e.seq() - 1) + " are";
        return new Finding(Kind.REMOVED, expectedSeq, range + " missing: the trail goes from "
            + (before == null ? "its start" : describe(before)) + " to " + describe(e), restore(expectedSeq));
      }
      if (linked && own) {
        hashes.add(e.hash());
        continue;
      }
      if (after != null && prev.equals(after.prevHash())) {
        return broken(Kind.INSERTED, e, describe(e) + " was not written by the server: without it, entry " + after.seq()
            + " links to " + (before == null ? "the start of the trail" : "entry " + before.seq()));
      }
      if (!linked && before != null && e.prevHash() != null && e.prevHash().equals(prevPrev)) {
        hashes.remove(hashes.size() - 1);
        return broken(Kind.INSERTED, before, describe(before) + " was not written by the server: entry " + e.seq()
            + " links past it to " + (i < 2 ? "the start of the trail" : "entry " + sorted.get(i - 2).seq()));
      }
      if (linked) {
        return broken(Kind.CHANGED, e, describe(e) + " does not match its hash: it was edited after it was written");
      }
      if (own && before != null) {
        hashes.remove(hashes.size() - 1);
        return broken(Kind.CHANGED, before, describe(before) + " was edited and its hash recomputed: entry " + e.seq()
            + " still links to the hash it had (or entry " + e.seq() + " was written by someone else)");
      }
      int gone = renumbered(e);
      if (gone > 0) {
        String range = gone == 1 ? "entry " + expectedSeq + " was" : "entries " + expectedSeq + " to " + (expectedSeq + gone - 1) + " were";
        return new Finding(Kind.REMOVED, expectedSeq, range + " removed and the later entries renumbered: "
            + describe(e) + " matches its hash only as entry " + (e.seq() + gone), restore(expectedSeq));
      }
      return broken(Kind.CHANGED, e, describe(e) + " neither matches its hash nor links to "
          + (before == null ? "the start of the trail" : "entry " + before.seq()) + ": it was edited");
    }
    return null;
  }

  private static Finding rewritten(List<Labelled> mismatched, List<Labelled> all, List<AuditEntryView> sorted,
      List<String> hashes) {
    Labelled first = mismatched.stream().min(Comparator.comparingLong(l -> l.checkpoint.count())).orElseThrow();
    CheckpointView c = first.checkpoint;
    long intactUpTo = all.stream().map(Labelled::checkpoint)
        .filter(o -> o.count() < c.count() && signatureValid(o) && o.count() <= hashes.size()
            && (o.count() == 0 ? AuditChain.GENESIS : hashes.get((int) o.count() - 1)).equals(o.headHash()))
        .mapToLong(CheckpointView::count).max().orElse(0);
    AuditEntryView entry = sorted.get((int) c.count() - 1);
    String where = intactUpTo == 0 ? "at or before entry " + c.count() : "between entry " + (intactUpTo + 1)
        + " and entry " + c.count() + " (an earlier checkpoint still matches the first " + intactUpTo + ")";
    return new Finding(Kind.REWRITTEN, c.count(), first.label + " signed " + c.count() + " entries ending in "
        + abbreviate(c.headHash()) + ", but " + describe(entry) + " hashes to " + abbreviate(entry.hash())
        + more(mismatched) + ": entries " + where + " were changed, removed or inserted and every later hash recomputed",
        "What to do: trust no entry from " + (intactUpTo + 1) + " on; restore the team database from a backup taken"
            + " before " + c.at() + " (the checkpoint's signature proves what it held), and find out who could write to it");
  }

  private static Finding broken(Kind kind, AuditEntryView e, String problem) {
    return new Finding(kind, e.seq(), problem, restore(e.seq()));
  }

  private static String restore(long seq) {
    return "What to do: trust no entry from " + seq + " on; restore the team database from a backup taken before the"
        + " change, and find out who could write to it (its logs and users)";
  }

  /** How many entries were removed before {@code e} if it hashes right under a higher seq, else 0. */
  private static int renumbered(AuditEntryView e) {
    for (int gone = 1; gone <= MAX_RENUMBERED; gone++) {
      if (ownHash(e, e.seq() + gone)) {
        return gone;
      }
    }
    return 0;
  }

  private static boolean ownHash(AuditEntryView e, long seq) {
    if (e.prevHash() == null || e.hash() == null) {
      return false;
    }
    AuditEntryView as = seq == e.seq() ? e : new AuditEntryView(seq, e.at(), e.actor(), e.action(), e.environment(),
        e.service(), e.beforeRelease(), e.afterRelease(), e.beforeDigest(), e.afterDigest(), e.reason(), e.details(),
        e.prevHash(), e.hash());
    return AuditChain.hash(e.prevHash(), as).equals(e.hash());
  }

  /** True when {@code c}'s Ed25519 signature over its checkpoint text verifies with the key it names. */
  public static boolean signatureValid(CheckpointView c) {
    if (c == null || c.publicKey() == null || c.signature() == null || c.headHash() == null || c.at() == null) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(ED25519);
      verifier.initVerify(KeyFactory.getInstance(ED25519)
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(c.publicKey()))));
      verifier.update(AuditChain.checkpointText(c.count(), c.headHash(), c.at()).getBytes(StandardCharsets.UTF_8));
      return verifier.verify(Base64.getDecoder().decode(c.signature()));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false; // a key or signature that does not even decode verifies nothing
    }
  }

  private static boolean sameKey(String a, String b) {
    try {
      return b != null && Arrays.equals(Base64.getDecoder().decode(a.strip()), Base64.getDecoder().decode(b.strip()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** How reports name an entry: {@code entry 5 (deploy api in staging by alice at 2026-12-07T09:00:00Z)}. */
  public static String describe(AuditEntryView e) {
    StringBuilder b = new StringBuilder("entry ").append(e.seq()).append(" (").append(e.action());
    if (e.service() != null) {
      b.append(' ').append(e.service());
    }
    if (e.environment() != null) {
      b.append(" in ").append(e.environment());
    }
    return b.append(" by ").append(e.actor()).append(" at ").append(e.at()).append(')').toString();
  }

  private static String more(List<Labelled> same) {
    return same.size() == 1 ? "" : " (and " + (same.size() - 1) + " more)";
  }

  private static String abbreviate(String hash) {
    return hash == null ? "null" : hash.length() <= 12 ? hash : hash.substring(0, 12) + "…";
  }
}
