package dev.slipway.cli;

import dev.slipway.api.ApiPaths;
import dev.slipway.api.DeploymentView;
import dev.slipway.api.HistoryView;
import dev.slipway.api.RolloutRequest;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code promote}, {@code abort}, {@code rollback}, {@code history}: small clients of the release API. */
final class ReleaseCommands {
  private ReleaseCommands() {}

  static ControlPlaneClient client(ModelOptions model) {
    return ControlPlaneClient.find(model.stateDir()).orElseThrow(() -> new CliException(1,
        "nothing is running for " + model.file(), "start it with `slipway up --detach`"));
  }

  static String path(String service, String action) {
    return ApiPaths.SERVICES + service + "/" + action;
  }

  /**
   * {@code slipway promote SERVICE [--full]}: a paused rollout's next step; {@code slipway promote --to ENV}:
   * environment promotion through the team server ({@link PromotionCommands#promote}).
   */
  @Command(name = "promote", description = "Continue a paused rollout (SERVICE; --full skips its remaining steps),"
      + " or promote what is verified into an environment (--to ENV, through the team server).")
  static final class Promote implements Callable<Integer> {
    @Mixin
    ModelOptions.FileOption model;
    @Parameters(paramLabel = "SERVICE", arity = "0..1", description = "The service whose paused rollout continues.")
    String service;
    @Option(names = "--full", description = "Skip every remaining step: all traffic to the new release now.")
    boolean full;
    @Option(names = "--to", paramLabel = "ENV",
        description = "Promote what is verified in ENV's `promotion.from` into ENV (the team server; shows the changes and gates first).")
    String to;
    @Option(names = "--services", paramLabel = "SVC", split = ",", description = "With --to: only these services (default: every verified one that differs).")
    List<String> services;
    @Option(names = "--reason", paramLabel = "R", description = "With --to: why, recorded in the audit trail.")
    String reason;
    @Option(names = "--yes", description = "With --to: request it without asking.")
    boolean yes;
    @Option(names = "--override-freeze", description = "With --to: promote into a frozen environment (admin; recorded).")
    boolean overrideFreeze;
    @Mixin
    EnvOptions envs;
    @Mixin
    WaitOptions waiting;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (to != null) {
        return toEnvironment();
      }
      String stray = services != null ? "--services" : reason != null ? "--reason" : yes ? "--yes"
          : overrideFreeze ? "--override-freeze" : null;
      if (stray != null) {
        throw new CliException(2, stray + " is for promotion into an environment", "add --to ENV, e.g. `slipway promote --to production`");
      }
      if (service == null) {
        throw new CliException(2, "promote what? give SERVICE (a paused rollout's next step) or --to ENV (environment promotion)",
            "e.g. `slipway promote api`, or `slipway promote --to production`");
      }
      java.util.Optional<ClusterTarget> cluster = envs.cluster(model);
      if (cluster.isPresent()) {
        java.util.Optional<TeamClient> server = ServerRoute.of(spec, envs);
        if (server.isPresent()) {
          if (full || waiting.timeout != null) {
            throw new CliException(2, (full ? "--full" : "--timeout") + " is for local stacks", "promote step by step; --wait follows the run");
          }
          return ServerRoute.started(server.get(), server.get().post(ServerRoute.service(envs.env, service, "promote"), null,
              dev.slipway.api.team.RunView.class), waiting.await || waiting.awaitWarm, spec.commandLine().getOut());
        }
        if (full) {
          throw new CliException(2, "--full is for local stacks; `" + envs.env + "` is a kubernetes environment",
              "promote step by step, or abort and deploy again with --strategy rolling");
        }
        if (waiting.timeout != null) {
          throw new CliException(2, "--timeout is for local stacks; on a cluster this process runs the rollout",
              "use --wait to follow it to its end");
        }
        dev.slipway.model.ServiceSpec s = cluster.get().app().services().get(service);
        return ClusterCommands.promote(cluster.get(), service, waiting.clusterWaitsToEnd(s == null ? null : s.strategy()),
            spec.commandLine().getOut());
      }
      ControlPlaneClient client = client(model);
      envs.checkLocal(client);
      long after = client.lastEventSeq();
      DeploymentView d = client.post(path(service, "promote"), new RolloutRequest(full, null), DeploymentView.class);
      PrintWriter out = spec.commandLine().getOut();
      out.println("promoted" + (full ? " fully" : "") + ": " + summary(d));
      return waiting.follow(client, service, d.id(), after, out);
    }

    private int toEnvironment() {
      String other = service != null ? "SERVICE `" + service + "`" : full ? "--full" : envs.env != null ? "--env"
          : waiting.timeout != null ? "--timeout" : envs.kubeconfig != null ? "--kubeconfig" : envs.context != null ? "--context" : null;
      if (other != null) {
        throw new CliException(2, other + " does not go with --to: `promote --to ENV` promotes environments, `promote SERVICE`"
            + " continues a rollout", "leave " + other + " out, or --to out");
      }
      TeamClient client = TeamClient.required(spec);
      return PromotionCommands.promote(client, new dev.slipway.api.team.PromotionRequest(to,
          services == null ? null : services.stream().map(String::strip).filter(x -> !x.isEmpty()).toList(), reason,
          overrideFreeze), yes, waiting.await || waiting.awaitWarm, Main.of(spec).terminal, spec.commandLine().getOut());
    }
  }

  /** {@code slipway abort SERVICE}. */
  @Command(name = "abort", description = "Stop a rollout: all traffic back to the stable release, the new one stopped.")
  static final class Abort implements Callable<Integer> {
    @Mixin
    ModelOptions.FileOption model;
    @Parameters(paramLabel = "SERVICE")
    String service;
    @Mixin
    EnvOptions envs;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      java.util.Optional<ClusterTarget> cluster = envs.cluster(model);
      if (cluster.isPresent()) {
        java.util.Optional<TeamClient> server = ServerRoute.of(spec, envs);
        if (server.isPresent()) {
          return ServerRoute.started(server.get(), server.get().post(ServerRoute.service(envs.env, service, "abort"), null,
              dev.slipway.api.team.RunView.class), false, spec.commandLine().getOut());
        }
        return ClusterCommands.abort(cluster.get(), service, spec.commandLine().getOut());
      }
      ControlPlaneClient client = client(model);
      envs.checkLocal(client);
      DeploymentView d = client.post(path(service, "abort"), new RolloutRequest(false, null), DeploymentView.class);
      spec.commandLine().getOut().println("aborting: " + summary(d));
      return 0;
    }
  }

  /** {@code slipway rollback SERVICE [--to RELEASE]}. */
  @Command(name = "rollback", description = "Return to the previous release (or --to RELEASE): artifact and configuration.")
  static final class Rollback implements Callable<Integer> {
    @Mixin
    ModelOptions.FileOption model;
    @Parameters(paramLabel = "SERVICE")
    String service;
    @Option(names = "--to", paramLabel = "RELEASE", description = "The release to return to, e.g. api-r2 (on a cluster also r2 or 2; see `slipway history`).")
    String to;
    @Option(names = "--reason", paramLabel = "R", description = "Through a team server: why, recorded in the audit trail.")
    String reason;

    /** {@code --to} on a cluster: {@code api-r2}, {@code r2} or {@code 2} → 2; null for "the one before". */
    static Integer revision(String service, String to) {
      if (to == null) {
        return null;
      }
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:" + java.util.regex.Pattern.quote(service)
          + "-)?r?([1-9][0-9]{0,8})").matcher(to.strip());
      if (!m.matches()) {
        throw new CliException(2, "--to `" + to + "` names no release of " + service,
            "give a release as `slipway history` lists it: r2 (or " + service + "-r2, or 2)");
      }
      return Integer.valueOf(m.group(1));
    }
    @Mixin
    EnvOptions envs;
    @Mixin
    WaitOptions waiting;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      java.util.Optional<ClusterTarget> cluster = envs.cluster(model);
      if (cluster.isPresent()) {
        if (waiting.timeout != null) {
          throw new CliException(2, "--timeout is for local stacks; on a cluster this process runs the rollback",
              "leave it out: rollback runs to its end");
        }
        java.util.Optional<TeamClient> server = ServerRoute.of(spec, envs);
        if (server.isPresent()) {
          Integer revision = revision(service, to);
          return ServerRoute.started(server.get(), server.get().post(ServerRoute.service(envs.env, service, "rollback"),
              new dev.slipway.api.team.ServerRollbackRequest(revision == null ? null : "r" + revision, reason),
              dev.slipway.api.team.RunView.class), waiting.await || waiting.awaitWarm, spec.commandLine().getOut());
        }
        ServerRoute.refuseWithoutServer("--reason", reason != null);
        return ClusterCommands.rollback(cluster.get(), service, revision(service, to), spec.commandLine().getOut());
      }
      ServerRoute.refuseWithoutServer("--reason", reason != null);
      ControlPlaneClient client = client(model);
      envs.checkLocal(client);
      long after = client.lastEventSeq();
      DeploymentView d = client.post(path(service, "rollback"), new RolloutRequest(false, to), DeploymentView.class);
      PrintWriter out = spec.commandLine().getOut();
      out.println("rolling back: " + summary(d));
      return waiting.follow(client, service, d.id(), after, out);
    }
  }

  /** {@code slipway history SERVICE}. */
  @Command(name = "history", description = "Releases and deployments of a service, with reasons and measurements.")
  static final class History implements Callable<Integer> {
    @Mixin
    ModelOptions.FileOption model;
    @Parameters(paramLabel = "SERVICE")
    String service;
    @Option(names = "--json", description = "Print JSON.")
    boolean json;
    @Mixin
    EnvOptions envs;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      java.util.Optional<ClusterTarget> cluster = envs.cluster(model);
      if (cluster.isPresent()) {
        java.util.Optional<TeamClient> server = ServerRoute.of(spec, envs);
        if (server.isPresent()) {
          return ServerRoute.history(server.get(), envs.env, service, json, spec.commandLine().getOut());
        }
        return ClusterCommands.history(cluster.get(), service, json, spec.commandLine().getOut());
      }
      ControlPlaneClient client = client(model);
      envs.checkLocal(client);
      HistoryView h = client.get(path(service, "history"), HistoryView.class);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(ControlPlaneClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(h));
        return 0;
      }
      render(h).forEach(out::println);
      return 0;
    }

    /** Releases, then deployments with the version of each release beside its id (what happened to v3: one line). */
    static List<String> render(HistoryView h) {
      List<String> lines = new ArrayList<>();
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"RELEASE", "VERSION", "ARTIFACT", "CREATED", ""});
      for (HistoryView.ReleaseView r : h.releases()) {
        rows.add(new String[] {r.id(), r.version(), r.artifact() == null ? "-" : r.artifact(), r.createdAt(),
            r.current() ? "current" : ""});
      }
      lines.addAll(StatusTable.columns(rows));
      lines.add("");
      List<String[]> deps = new ArrayList<>();
      deps.add(new String[] {"#", "FROM", "TO", "STRATEGY", "STATE", "STARTED", "REASON"});
      for (DeploymentView d : h.deployments()) {
        deps.add(new String[] {Long.toString(d.id()), DeploymentText.release(d.from(), d.fromVersion()),
            DeploymentText.release(d.to(), d.toVersion()), d.strategy(), DeploymentText.state(d), d.startedAt(),
            DeploymentText.reason(d)});
      }
      lines.addAll(StatusTable.columns(deps));
      return lines;
    }
  }

  static String summary(DeploymentView d) {
    return d.service() + " #" + d.id() + " " + (d.from() == null ? "" : DeploymentText.release(d.from(), d.fromVersion())
        + " → ") + DeploymentText.release(d.to(), d.toVersion()) + " (" + d.strategy()
        + ", " + DeploymentText.state(d) + ", step " + (d.step() + 1) + "/" + d.steps().size() + ")";
  }
}
