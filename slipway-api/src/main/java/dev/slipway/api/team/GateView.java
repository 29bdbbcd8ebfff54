package dev.slipway.api.team;

/**
 * One promotion gate: {@code verified}, {@code soak}, {@code approvals}, {@code window}, {@code freeze}.
 *
 * @param text what holds or is missing, for a person: "soak 45m of 1h", "needs 1 approval from release",
 *             "outside the window; next opens Mon 09:00 (Europe/Berlin)"
 */
public record GateView(String name, boolean holds, String text) {}
