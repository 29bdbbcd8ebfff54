package dev.slipway.server.team;

import dev.slipway.api.team.NewUserRequest;
import dev.slipway.api.team.NewUserResponse;
import dev.slipway.api.team.Roles;
import dev.slipway.api.team.RolesRequest;
import dev.slipway.api.team.TeamPaths;
import dev.slipway.api.team.UserView;
import dev.slipway.api.team.WhoAmIView;
import dev.slipway.server.ApiError;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;

/** whoami, and users and their roles (admin only); a new token is shown once, in the answer that made it. */
final class UserRoutes implements TeamRoutes {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{0,62}");

  private final TeamLedger ledger;
  private final Clock clock;
  private final java.util.function.Supplier<String> serverUrl;

  UserRoutes(TeamLedger ledger, Clock clock, java.util.function.Supplier<String> serverUrl) {
    this.ledger = ledger;
    this.clock = clock;
    this.serverUrl = serverUrl;
  }

  @Override
  public void register(TeamRouter r) {
    r.get(TeamPaths.WHOAMI, q -> TeamResponse.ok(new WhoAmIView(q.caller().name(), q.caller().roles(), serverUrl.get())));
    r.get(TeamPaths.USERS, q -> TeamResponse.ok(ledger.users()));
    r.post(TeamPaths.USERS, q -> {
      Access.require(q.caller(), "add users or give them new tokens", Roles.ADMIN);
      NewUserRequest body = q.body(NewUserRequest.class);
      String name = name(body.name());
      List<String> roles = roles(body.roles());
      boolean exists = ledger.user(name).isPresent();
      String token = Tokens.create();
      UserView user = ledger.putUser(name, roles, Tokens.hash(token), q.caller().name(), clock.instant(),
          new RunLedger.Audit(q.caller().name(), exists ? "user.token" : "user.add", null, null, null, null, null, null,
              null, "user " + name + " roles " + roles + (exists ? " (new token; the old one no longer works)" : "")));
      return TeamResponse.created(new NewUserResponse(user, token));
    });
    r.put(TeamPaths.USER + "{name}/roles", q -> {
      Access.require(q.caller(), "change roles", Roles.ADMIN);
      String name = q.param("name");
      UserView before = ledger.user(name).orElseThrow(() -> ApiError.notFound("unknown-user", "no user named `" + name
          + "`; add one: slipway user add " + name + " --role ROLE"));
      List<String> roles = roles(q.body(RolesRequest.class).roles());
      boolean otherAdmin = ledger.users().stream().anyMatch(u -> !u.name().equals(name) && u.roles().contains(Roles.ADMIN));
      if (!roles.contains(Roles.ADMIN) && before.roles().contains(Roles.ADMIN) && !otherAdmin) {
        throw ApiError.conflict("last-admin", "The last admin", name + " is the only admin: without the role nobody "
            + "could add users or change roles any more", "make another user an admin first");
      }
      return TeamResponse.ok(ledger.setRoles(name, roles, new RunLedger.Audit(q.caller().name(), "user.roles", null,
          null, null, null, null, null, null, "user " + name + " roles " + before.roles() + " -> " + roles)));
    });
  }

  static String name(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw ApiError.badRequest("user name `" + name + "` is not valid: use lower-case letters, digits, `.`, `_`, `-`"
          + " (starting with a letter), e.g. alice");
    }
    return name;
  }

  static List<String> roles(List<String> roles) {
    if (roles == null || roles.isEmpty()) {
      throw ApiError.badRequest("give at least one role (--role ROLE): built in are " + Roles.BUILT_IN
          + "; any other name counts where an environment's promotion.approvers lists it");
    }
    for (String role : roles) {
      if (!NAME.matcher(role).matches()) {
        throw ApiError.badRequest("role `" + role + "` is not valid: lower-case letters, digits, `.`, `_`, `-`");
      }
    }
    return List.copyOf(new java.util.LinkedHashSet<>(roles));
  }
}
