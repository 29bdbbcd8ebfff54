package dev.slipway.api.team;

import java.time.Instant;
import java.util.List;

/** A user of the team server. Its token is never shown again after {@link NewUserResponse}. */
public record UserView(String name, List<String> roles, Instant createdAt, String createdBy) {}
