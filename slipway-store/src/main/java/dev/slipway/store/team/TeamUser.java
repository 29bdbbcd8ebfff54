package dev.slipway.store.team;

import java.time.Instant;
import java.util.List;

/**
 * A user of the team server. Its token is not here: the store keeps only the token's SHA-256 and
 * finds a user by it ({@link TeamStore#userByTokenSha256}).
 *
 * @param roles     role names: the built-in ones or any other, which count where an environment's approvers name them
 * @param createdBy the user who added this one ({@code slipway} for the first admin)
 */
public record TeamUser(String name, List<String> roles, Instant createdAt, String createdBy) {
  public TeamUser {
    roles = List.copyOf(roles);
  }
}
