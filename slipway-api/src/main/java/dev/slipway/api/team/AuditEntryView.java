package dev.slipway.api.team;

import java.time.Instant;

/**
 * One entry of the audit trail, as stored: its hash covers {@code prevHash} and the entry's canonical
 * form ({@link AuditChain#canonical}), so {@code slipway audit verify} can recompute the chain.
 *
 * @param seq      1, 2, … without gaps
 * @param action   {@code deploy}, {@code promote}, {@code promotion.request}, {@code approve}, {@code reject},
 *                 {@code rollback}, {@code abort}, {@code freeze}, {@code unfreeze}, {@code preview.up},
 *                 {@code preview.down}, {@code preview.expire}, {@code user.add}, {@code user.roles},
 *                 {@code run.end}
 * @param details  further facts as canonical JSON text (an object), or null
 * @param prevHash the previous entry's hash (64 zeros for the first), lowercase hex
 * @param hash     this entry's SHA-256, lowercase hex
 */
public record AuditEntryView(long seq, Instant at, String actor, String action, String environment,
    String service, String beforeRelease, String afterRelease, String beforeDigest, String afterDigest,
    String reason, String details, String prevHash, String hash) {}
