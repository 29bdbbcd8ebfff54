package dev.slipway.api.team;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * The audit trail's hash chain, shared by the server that appends and the CLI that verifies. An
 * entry's hash is {@code SHA-256(prevHash + "\n" + canonical(entry))}; the first entry's previous
 * hash is {@link #GENESIS}. The canonical form is a JSON object with fixed key order, no spaces, and
 * {@code at} in milliseconds, so any client can recompute it byte for byte.
 */
public final class AuditChain {
  private AuditChain() {}

  public static final String GENESIS = "0".repeat(64);

  /** The instant an entry records: milliseconds, which every store keeps exactly. */
  public static Instant stamp(Instant at) {
    return at.truncatedTo(ChronoUnit.MILLIS);
  }

  /** The entry's canonical form; {@code prevHash} and {@code hash} are not part of it. */
  public static String canonical(AuditEntryView e) {
    StringBuilder b = new StringBuilder(256).append('{');
    b.append("\"seq\":").append(e.seq());
    field(b, "at", e.at() == null ? null : stamp(e.at()).toString());
    field(b, "actor", e.actor());
    field(b, "action", e.action());
    field(b, "environment", e.environment());
    field(b, "service", e.service());
    field(b, "beforeRelease", e.beforeRelease());
    field(b, "afterRelease", e.afterRelease());
    field(b, "beforeDigest", e.beforeDigest());
    field(b, "afterDigest", e.afterDigest());
    field(b, "reason", e.reason());
    field(b, "details", e.details());
    return b.append('}').toString();
  }

  /** The hash an entry must carry after {@code prevHash}. */
  public static String hash(String prevHash, AuditEntryView entry) {
    return sha256(prevHash + "\n" + canonical(entry));
  }

  /** The text a checkpoint's signature covers. */
  public static String checkpointText(long count, String headHash, Instant at) {
    return "slipway-audit-checkpoint v1\n" + count + "\n" + headHash + "\n" + stamp(at) + "\n";
  }

  public static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static void field(StringBuilder b, String name, String value) {
    b.append(",\"").append(name).append("\":");
    if (value == null) {
      b.append("null");
      return;
    }
    b.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
