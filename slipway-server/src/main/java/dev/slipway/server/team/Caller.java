package dev.slipway.server.team;

import dev.slipway.api.team.Roles;
import java.util.Collection;
import java.util.List;

/**
 * The authenticated user a request comes from, as handlers see it.
 *
 * @param name  the user's name
 * @param roles the roles the user holds (built-in ones from {@link Roles}, or any other name)
 */
public record Caller(String name, List<String> roles) {
  public Caller {
    roles = List.copyOf(roles);
  }

  public boolean has(String role) {
    return roles.contains(role);
  }

  public boolean isAdmin() {
    return has(Roles.ADMIN);
  }

  /** Whether the caller holds any of {@code needed}; an admin may do everything. */
  public boolean hasAny(Collection<String> needed) {
    return isAdmin() || needed.stream().anyMatch(this::has);
  }
}
