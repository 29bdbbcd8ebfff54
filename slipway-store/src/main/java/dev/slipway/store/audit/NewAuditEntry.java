package dev.slipway.store.audit;

/**
 * An audit entry before the log numbers, stamps and hashes it ({@link AuditLog#append}). Every text
 * is stored and hashed exactly as given, so {@code detailsJson} must already be in its final form:
 * the log keeps it as text, never as {@code jsonb}, which would reorder its keys and break the hash.
 *
 * @param actor         who did it: a user name, or {@code server} for what the server does on its own
 * @param action        what was done ({@code deploy}, {@code approve}, … see {@link dev.slipway.api.team.AuditEntryView})
 * @param environment   the environment it concerns, or null
 * @param service       the service it concerns, or null
 * @param beforeRelease the release id before, or null
 * @param afterRelease  the release id after, or null
 * @param beforeDigest  the artifact or image digest before, or null
 * @param afterDigest   the artifact or image digest after, or null
 * @param reason        the reason or comment given, or null
 * @param detailsJson   further facts as a JSON object's text, or null
 */
public record NewAuditEntry(String actor, String action, String environment, String service, String beforeRelease,
    String afterRelease, String beforeDigest, String afterDigest, String reason, String detailsJson) {

  /** Checks what every entry needs: who and what. */
  public NewAuditEntry {
    if (actor == null || actor.isBlank()) {
      throw new IllegalArgumentException("an audit entry needs an actor");
    }
    if (action == null || action.isBlank()) {
      throw new IllegalArgumentException("an audit entry needs an action");
    }
    if (detailsJson != null && !(detailsJson.startsWith("{") && detailsJson.endsWith("}"))) {
      throw new IllegalArgumentException("an audit entry's details are a JSON object, not " + detailsJson);
    }
  }

  /** An entry with only who, what and where; the rest null. */
  public static NewAuditEntry of(String actor, String action, String environment, String service) {
    return new NewAuditEntry(actor, action, environment, service, null, null, null, null, null, null);
  }

  /** This entry with {@code reason}. */
  public NewAuditEntry withReason(String reason) {
    return new NewAuditEntry(actor, action, environment, service, beforeRelease, afterRelease, beforeDigest,
        afterDigest, reason, detailsJson);
  }

  /** This entry with {@code detailsJson}. */
  public NewAuditEntry withDetails(String detailsJson) {
    return new NewAuditEntry(actor, action, environment, service, beforeRelease, afterRelease, beforeDigest,
        afterDigest, reason, detailsJson);
  }
}
