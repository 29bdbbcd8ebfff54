package dev.slipway.api.team;

import java.time.Instant;

/** {@code slipway freeze ENV --until T --reason R}. */
public record FreezeRequest(Instant until, String reason) {}
