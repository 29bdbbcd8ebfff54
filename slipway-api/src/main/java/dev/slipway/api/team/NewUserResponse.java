package dev.slipway.api.team;

/** The new user and its token, shown this once; the server keeps only the token's SHA-256. */
public record NewUserResponse(UserView user, String token) {}
