package dev.slipway.api.team;

/** {@code slipway approve ID [--comment C]} / {@code slipway reject ID --comment C} (required to reject). */
public record DecisionRequest(String comment) {}
