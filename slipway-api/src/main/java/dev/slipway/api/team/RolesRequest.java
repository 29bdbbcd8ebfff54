package dev.slipway.api.team;

import java.util.List;

/** Replaces a user's roles. */
public record RolesRequest(List<String> roles) {}
