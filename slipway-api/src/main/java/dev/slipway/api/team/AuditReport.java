package dev.slipway.api.team;

import java.util.List;
import java.util.Optional;

/**
 * What {@link AuditVerifier} found: the trail's size and head as recomputed, the first place the chain
 * breaks (if it does), and what the checkpoints say. {@link #ok()} is true when nothing was found;
 * {@link #notes()} are limits of the check, not findings.
 *
 * @param entries     how many entries were checked
 * @param verified    how many leading entries (seq 1 to this) form an intact chain
 * @param headHash    the hash of entry {@code verified}, or {@link AuditChain#GENESIS}
 * @param signedCount the most entries an intact, validly signed checkpoint vouches for (0 if none)
 * @param findings    what is wrong: the chain's first break, then checkpoint problems
 * @param notes       what the check could not cover
 */
public record AuditReport(long entries, long verified, String headHash, long signedCount, List<Finding> findings,
    List<String> notes) {

  /** Copies the lists. */
  public AuditReport {
    findings = List.copyOf(findings);
    notes = List.copyOf(notes);
  }

  /** What kind of tampering a finding shows. */
  public enum Kind {
    /** An entry's content no longer matches its hash, or it was edited and its hash recomputed. */
    CHANGED,
    /** Entries are missing: a gap in seq, or a link to a hash no entry has. */
    REMOVED,
    /** An entry the server did not write: removing it would restore the links, or it duplicates a seq. */
    INSERTED,
    /** The chain is intact, but a checkpoint signed a different hash for one of its entries. */
    REWRITTEN,
    /** A checkpoint names more entries than the trail has. */
    TRUNCATED,
    /** A checkpoint's signature does not verify. */
    BAD_SIGNATURE,
    /** A checkpoint is signed by a key other than the trusted one. */
    UNTRUSTED_KEY
  }

  /**
   * One problem.
   *
   * @param kind    what it is
   * @param seq     the entry it names (for checkpoints: the count they name)
   * @param problem what is wrong, naming the entry's seq, action, actor and time
   * @param fix     what to do about it
   */
  public record Finding(Kind kind, long seq, String problem, String fix) {
    /** The problem and what to do, in one paragraph. */
    public String text() {
      return kind.name().toLowerCase().replace('_', ' ') + ": " + problem + ". " + fix;
    }
  }

  /** True when no finding was made. */
  public boolean ok() {
    return findings.isEmpty();
  }

  /** The first finding: where the chain breaks, else the first checkpoint problem. */
  public Optional<Finding> first() {
    return findings.isEmpty() ? Optional.empty() : Optional.of(findings.get(0));
  }

  /** The report for a person: a summary line, then each finding and note on lines of their own. */
  public String text() {
    StringBuilder b = new StringBuilder();
    if (ok()) {
      b.append("audit trail intact: ").append(entries).append(entries == 1 ? " entry" : " entries").append(", head ")
          .append(headHash.length() > 12 ? headHash.substring(0, 12) + "…" : headHash);
      b.append(signedCount > 0 ? ", " + signedCount + " of them under a valid signed checkpoint" : ", no checkpoint")
          .append('\n');
    } else {
      b.append("audit trail TAMPERED: ").append(findings.size()).append(findings.size() == 1 ? " finding" : " findings")
          .append(" (").append(entries).append(" entries, the first ").append(verified).append(" intact)\n");
      for (Finding f : findings) {
        b.append("  ").append(f.text()).append('\n');
      }
    }
    for (String note : notes) {
      b.append("  note: ").append(note).append('\n');
    }
    return b.toString();
  }
}
