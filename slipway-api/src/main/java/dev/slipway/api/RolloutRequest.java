package dev.slipway.api;

/**
 * Body of {@code promote}, {@code abort} and {@code rollback}.
 *
 * @param full      promote: skip the remaining steps
 * @param toRelease rollback: the release to return to (default: the previous one)
 */
public record RolloutRequest(boolean full, String toRelease) {}
