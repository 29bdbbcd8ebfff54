package dev.slipway.server.team;

import dev.slipway.server.ApiError;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/** Role checks for handlers: an admin may do everything, anyone else needs one of the named roles. */
public final class Access {
  private Access() {}

  /**
   * Refuses with 403 ({@code forbidden}) unless the caller holds one of {@code roles} or is an admin.
   *
   * @param action what the caller tried, completing "alice (deployer) may not …", e.g.
   *               {@code approve promotions into production}
   */
  public static void require(Caller caller, String action, String... roles) {
    require(caller, action, Arrays.asList(roles));
  }

  /** {@link #require(Caller, String, String...)} with the roles as a collection (an environment's approvers). */
  public static void require(Caller caller, String action, Collection<String> roles) {
    if (!caller.hasAny(roles)) {
      throw forbidden(caller, action, roles);
    }
  }

  /** The 403 naming the roles that would have allowed {@code action}, and who can grant one. */
  public static ApiError forbidden(Caller caller, String action, Collection<String> roles) {
    List<String> needed = List.copyOf(roles);
    String held = caller.roles().isEmpty() ? "no role" : String.join(", ", caller.roles());
    String first = needed.isEmpty() ? "admin" : needed.get(0);
    return new ApiError(403, "forbidden", "Forbidden", List.of(caller.name() + " (" + held + ") may not " + action
        + ": that needs one of the roles " + needed + "; ask an admin: slipway user add " + caller.name()
        + " --role " + first));
  }
}
