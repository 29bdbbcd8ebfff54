package dev.slipway.api.team;

import java.time.Instant;

/** A freeze in force: promotions and deploys into the environment are refused until {@code until}. */
public record FreezeView(String environment, Instant until, String reason, String by, Instant at) {}
