package dev.slipway.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.slipway.api.team.NewUserRequest;
import dev.slipway.api.team.NewUserResponse;
import dev.slipway.api.team.RolesRequest;
import dev.slipway.api.team.TeamPaths;
import dev.slipway.api.team.UserView;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code slipway user add|roles} and {@code slipway users}: the team server's users (an admin's work). */
final class UserCommands {
  private UserCommands() {}

  /** {@code slipway user}: its subcommands. */
  @Command(name = "user", description = "Add a user of the team server or change their roles (admin).",
      subcommands = {Add.class, Roles.class})
  static final class User implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: `add` or `roles`");
    }
  }

  /** {@code slipway user add NAME --role R…}: prints the token once. */
  @Command(name = "add", description = "Add a user (or give an existing one a new token) and print the token, once.")
  static final class Add implements Callable<Integer> {
    @Parameters(paramLabel = "NAME")
    String name;
    @Option(names = "--role", paramLabel = "ROLE", required = true,
        description = "admin, deployer, approver, viewer, or a name an environment's promotion.approvers lists (repeatable).")
    List<String> roles;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      TeamClient client = TeamClient.required(spec);
      NewUserResponse r = client.post(TeamPaths.USERS, new NewUserRequest(name, roles), NewUserResponse.class);
      PrintWriter out = spec.commandLine().getOut();
      out.println(Style.ok("✓") + " " + r.user().name() + " " + r.user().roles() + " on " + client.server());
      out.println("token: " + r.token());
      out.println("This token is shown once and will not be shown again; the server keeps only its hash.");
      out.println("Give it to " + r.user().name() + " privately, to log in with: slipway login --server "
          + client.server());
      return 0;
    }
  }

  /** {@code slipway user roles NAME --role R…}: replaces the user's roles. */
  @Command(name = "roles", description = "Replace a user's roles.")
  static final class Roles implements Callable<Integer> {
    @Parameters(paramLabel = "NAME")
    String name;
    @Option(names = "--role", paramLabel = "ROLE", required = true, description = "The user's roles from now on (repeatable).")
    List<String> roles;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      UserView u = TeamClient.required(spec).put(TeamPaths.USER + TeamClient.encode(name) + "/roles",
          new RolesRequest(roles), UserView.class);
      spec.commandLine().getOut().println(Style.ok("✓") + " " + u.name() + " now has " + u.roles());
      return 0;
    }
  }

  /** {@code slipway users}. */
  @Command(name = "users", description = "List the team server's users and their roles.")
  static final class Users implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON.")
    boolean json;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      List<UserView> users = TeamClient.required(spec).get(TeamPaths.USERS, new TypeReference<List<UserView>>() {});
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(TeamClient.pretty(users));
        return 0;
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"NAME", "ROLES", "ADDED", "BY"});
      for (UserView u : users) {
        rows.add(new String[] {u.name(), String.join(",", u.roles()), TeamText.time(u.createdAt()),
            RunCommands.dash(u.createdBy())});
      }
      StatusTable.columns(rows).forEach(out::println);
      return 0;
    }
  }
}
