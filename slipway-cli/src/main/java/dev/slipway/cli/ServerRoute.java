package dev.slipway.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.slipway.api.team.EnvironmentView;
import dev.slipway.api.team.RunView;
import dev.slipway.api.team.ServerReleaseView;
import dev.slipway.api.team.TeamPaths;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/**
 * The release commands on a kubernetes environment when a team server is configured: the server runs
 * them (and records them in the audit trail) instead of this process. Without a server, or on a local
 * environment, nothing changes: {@code slipway up} never needs a server or a login.
 */
final class ServerRoute {
  private ServerRoute() {}

  /**
   * The team server that drives {@code target}, if one is configured. {@code --kubeconfig} and
   * {@code --context} are refused then: the server reaches the cluster with its own.
   */
  static Optional<TeamClient> of(CommandLine.Model.CommandSpec spec, EnvOptions envs) {
    Optional<TeamClient> client = TeamClient.configured(Main.of(spec));
    if (client.isPresent() && (envs.kubeconfig != null || envs.context != null)) {
      String given = envs.kubeconfig != null ? "--kubeconfig" : "--context";
      throw new CliException(2, given + ": `" + envs.env + "` is driven by the team server at " + client.get().server()
          + ", with its own connection to the cluster", "leave " + given + " out; to drive the cluster from this machine"
          + " instead, log out (`slipway logout`) and unset " + TeamPaths.SERVER_VARIABLE);
    }
    return client;
  }

  /** An option only a team server records, given where none drives the command. */
  static void refuseWithoutServer(String option, boolean given) {
    if (given) {
      throw new CliException(2, option + " is recorded by the team server, and this command does not go through one",
          "leave it out; it counts on a kubernetes environment with a server configured (`slipway login`)");
    }
  }

  /** {@code /environments/E/services/S/ACTION}. */
  static String service(String env, String service, String action) {
    return TeamPaths.ENVIRONMENT + TeamClient.encode(env) + "/services/" + TeamClient.encode(service) + "/" + action;
  }

  /** Prints the run the server accepted, and follows it with {@code --wait}. */
  static int started(TeamClient client, RunView run, boolean await, PrintWriter out) {
    out.println("run " + run.id() + ": " + run.kind() + " " + run.service() + " on " + run.environment() + " by the team server"
        + " at " + client.server() + " (" + run.state() + ")");
    out.flush();
    if (await) {
      return RunCommands.follow(client, run.id(), out);
    }
    out.println(Style.dim("it runs on the server; follow it: slipway runs " + run.id() + " --wait"));
    return 0;
  }

  /** {@code slipway status --env E} as the server sees E. */
  static int status(TeamClient client, String env, boolean json, PrintWriter out) {
    EnvironmentView e = environment(client, env);
    if (json) {
      out.println(TeamClient.pretty(e));
      return 0;
    }
    out.println(e.name() + " (" + e.target() + (e.isProtected() ? ", protected" : "")
        + (e.promotedFrom() == null ? "" : ", promoted from " + e.promotedFrom()) + ") on " + client.server());
    if (e.freeze() != null) {
      out.println(Style.warn("!") + " frozen until " + TeamText.time(e.freeze().until()) + ": " + e.freeze().reason()
          + " (by " + e.freeze().by() + ")");
    }
    releases(e.releases() == null ? List.of() : e.releases()).forEach(out::println);
    return 0;
  }

  /** {@code slipway history SVC --env E}: the releases the server recorded. */
  static int history(TeamClient client, String env, String service, boolean json, PrintWriter out) {
    List<ServerReleaseView> all = client.get(TeamPaths.ENVIRONMENT + TeamClient.encode(env) + "/releases",
        new TypeReference<List<ServerReleaseView>>() {});
    List<ServerReleaseView> mine = all.stream().filter(r -> service.equals(r.service())).toList();
    if (json) {
      out.println(TeamClient.pretty(mine));
    } else if (mine.isEmpty()) {
      out.println("No releases of " + service + " on " + env + " recorded by the team server yet.");
    } else {
      releases(mine).forEach(out::println);
    }
    return 0;
  }

  private static EnvironmentView environment(TeamClient client, String env) {
    List<EnvironmentView> all = client.get(TeamPaths.ENVIRONMENTS, new TypeReference<List<EnvironmentView>>() {});
    return all.stream().filter(e -> e.name().equals(env)).findFirst().orElseThrow(() -> new CliException(2,
        "the team server at " + client.server() + " knows no environment `" + env + "`",
        "its model names " + all.stream().map(EnvironmentView::name).toList() + "; is its checkout current?"));
  }

  private static List<String> releases(List<ServerReleaseView> releases) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"SERVICE", "RELEASE", "STATE", "LIVE SINCE", "ANALYSIS", "VERIFIED", "IMAGE"});
    for (ServerReleaseView r : releases) {
      rows.add(new String[] {r.service(), r.release(), r.state(), TeamText.time(r.liveSince()),
          RunCommands.dash(r.analysis()), r.verified() ? "yes" : "no", RunCommands.dash(r.image())});
    }
    return StatusTable.columns(rows);
  }
}
