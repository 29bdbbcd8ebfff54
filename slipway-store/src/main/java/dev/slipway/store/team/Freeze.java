package dev.slipway.store.team;

import java.time.Instant;

/**
 * A freeze of an environment: deploys and promotions into it are refused until {@code until}.
 *
 * @param by who set it
 * @param at when it was set
 */
public record Freeze(String environment, Instant until, String reason, String by, Instant at) {}
