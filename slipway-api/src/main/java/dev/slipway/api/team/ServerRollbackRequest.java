package dev.slipway.api.team;

/** {@code slipway rollback SVC --env E [--to rN]} through the server; {@code toRelease} null: the one before. */
public record ServerRollbackRequest(String toRelease, String reason) {}
