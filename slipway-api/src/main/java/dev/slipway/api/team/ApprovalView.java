package dev.slipway.api.team;

import java.time.Instant;

/** @param decision {@code approved} or {@code rejected} */
public record ApprovalView(String user, String decision, String comment, Instant at) {}
