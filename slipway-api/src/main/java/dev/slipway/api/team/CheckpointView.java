package dev.slipway.api.team;

import java.time.Instant;

/**
 * A signed statement that the audit trail held {@code count} entries ending in {@code headHash} at
 * {@code at} (RFC 6962's signed tree head, in a chain's form). {@code slipway audit verify --checkpoint
 * FILE} checks a saved one, so a trail cut back below it is caught even if the server's own checkpoints
 * were removed.
 *
 * @param publicKey  the server's Ed25519 public key, base64 of its X.509 encoding
 * @param signature  base64 Ed25519 signature over {@link AuditChain#checkpointText}
 */
public record CheckpointView(long count, String headHash, Instant at, String publicKey, String signature) {}
