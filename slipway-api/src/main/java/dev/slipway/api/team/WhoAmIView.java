package dev.slipway.api.team;

import java.util.List;

/** Who the token belongs to, and the server's version. */
public record WhoAmIView(String name, List<String> roles, String server) {}
