package dev.slipway.api.team;

import java.util.List;

/** {@code slipway user add NAME --role ROLE…}; adding an existing name gives it a new token (rotation). */
public record NewUserRequest(String name, List<String> roles) {}
