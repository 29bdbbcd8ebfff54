package dev.slipway.cli;

import dev.slipway.api.DeployRequest;
import dev.slipway.api.DeploymentView;
import dev.slipway.model.StrategyKind;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code slipway deploy SERVICE}: build, record a release, roll it out with the service's strategy.
 * With {@code --wait}: live progress and a one-line verdict; exit 0 when it went live, 1 when it was
 * rolled back or failed.
 */
@Command(name = "deploy", description = "Ship a new release of a service: rolling, blue-green or canary, with automatic rollback.")
final class DeployCommand implements Callable<Integer> {
  @Mixin
  ModelOptions.FileOption model;

  @Parameters(paramLabel = "SERVICE", description = "The service.")
  String service;

  @Option(names = "--version", paramLabel = "V", description = "Label of the new release (default: a short digest of its artifact).")
  String version;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Environment variable of the new release (repeatable).")
  List<String> set = List.of();

  @Option(names = "--strategy", paramLabel = "S", description = "rolling, blue-green or canary (default: the model's).")
  String strategy;

  @Mixin
  EnvOptions envs;

  @Mixin
  WaitOptions waiting;

  @Option(names = "--queue", paramLabel = "DURATION", arity = "0..1", fallbackValue = QUEUE_DEFAULT,
      converter = WaitOptions.DurationConverter.class,
      description = "Wait for a rollout in progress to finish instead of being refused; on a kubernetes environment for"
          + " at most DURATION (default: " + QUEUE_DEFAULT + ", as locally).")
  java.time.Duration queue;

  /** How long a queued deploy waits for the one in progress, locally (the control plane's limit) and by default on a cluster. */
  static final String QUEUE_DEFAULT = "30m";

  @Option(names = "--image-tag", paramLabel = "TAG",
      description = "Kubernetes environments: the model's image with this tag.")
  String imageTag;

  @Option(names = "--image", paramLabel = "REF",
      description = "Kubernetes environments: the whole image reference, a digest preferred (name@sha256:...); wins over --image-tag.")
  String image;

  @Option(names = "--resume", description = "Kubernetes environments: continue the service's interrupted rollout from its recorded phase.")
  boolean resume;

  @Option(names = "--force", description = "Make a new release even if nothing changed.")
  boolean force;

  @Option(names = "--reason", paramLabel = "R", description = "Through a team server: why, recorded in the audit trail.")
  String reason;

  @Option(names = "--override-freeze", description = "Through a team server: deploy into a frozen environment (admin; recorded).")
  boolean overrideFreeze;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /** {@code --set} values are env values: the model's rules apply ({@code ${PORT}} is no reference…). */
  private void checkOverrides(String environment, Map<String, String> vars) {
    List<dev.slipway.model.ModelError> errors = dev.slipway.model.ModelLoader.checkOverrides(model.file(), environment,
        service, vars);
    if (errors.isEmpty()) {
      return;
    }
    String prefix = "services." + service + ".env.";
    List<String> lines = new java.util.ArrayList<>();
    for (dev.slipway.model.ModelError e : errors) {
      String name = e.path().substring(prefix.length());
      // the value itself is not echoed: it may be a password
      lines.add("--set " + name + ": " + e.message()
          + (e.hint() == null || e.hint().isEmpty() ? "" : " — " + e.hint()));
    }
    throw new CliException(2, errors.size() == 1 ? lines.get(0) : errors.size() + " --set values are not valid",
        "values of --set follow the rules of `env` in the model (docs/model.md#references)",
        errors.size() == 1 ? List.of() : lines);
  }

  @Override
  public Integer call() throws Exception {
    java.util.Optional<ClusterTarget> cluster = envs.cluster(model);
    if (cluster.isPresent()) {
      java.util.Optional<TeamClient> server = ServerRoute.of(spec, envs);
      if (server.isPresent()) {
        return throughServer(server.get());
      }
      ServerRoute.refuseWithoutServer(reason != null ? "--reason" : "--override-freeze", reason != null || overrideFreeze);
      return onCluster(cluster.get());
    }
    ServerRoute.refuseWithoutServer(reason != null ? "--reason" : "--override-freeze", reason != null || overrideFreeze);
    refuseClusterOnly();
    Map<String, String> vars = new LinkedHashMap<>();
    for (String kv : set) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new CliException(2, "--set wants KEY=VALUE, got `" + kv + "`", "e.g. --set FAULT_ERROR_RATE=0.05");
      }
      vars.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    if (strategy != null && StrategyKind.byName(strategy).isEmpty()) {
      throw new CliException(2, "unknown strategy `" + strategy + "`", "use " + StrategyKind.ids());
    }
    checkOverrides(envs.env != null ? envs.env : dev.slipway.model.ModelLoader.DEFAULT_ENVIRONMENT, vars);
    ControlPlaneClient client = ReleaseCommands.client(model);
    envs.checkLocal(client);
    PrintWriter out = spec.commandLine().getOut();
    long after = client.lastEventSeq();
    out.println("deploying " + service + (vars.isEmpty() ? "" : " with " + vars.keySet()) + " ...");
    out.flush();
    DeploymentView d = client.post(ReleaseCommands.path(service, "deploy"),
        new DeployRequest(version, vars, strategy, queue != null, force), DeploymentView.class);
    out.println("started " + ReleaseCommands.summary(d));
    for (int i = 0; i < d.steps().size(); i++) {
      out.println(Style.dim(String.format("  %2d. %s", i + 1, d.steps().get(i))));
    }
    out.flush();
    return waiting.follow(client, service, d.id(), after, out);
  }

  /**
   * On a cluster this process runs the rollout: the image comes from {@code --image-tag} / {@code --image}
   * (nothing is built), and what only the local control plane does is refused rather than ignored.
   */
  private int onCluster(ClusterTarget target) throws Exception {
    String local = version != null ? "--version" : !set.isEmpty() ? "--set" : force ? "--force"
        : waiting.timeout != null ? "--timeout" : null;
    if (local != null) {
      throw new CliException(2, local + " is for local stacks; `" + envs.env + "` is a kubernetes environment",
          switch (local) {
            case "--version" -> "on a cluster a release is its image: give --image-tag TAG or --image REF";
            case "--set" -> "put the value in the model, under environments." + envs.env + ".services." + service + ".env";
            case "--timeout" -> "on a cluster this process runs the rollout to its end: use --wait";
            default -> "every deploy on a cluster makes a new release";
          });
    }
    if (strategy != null && StrategyKind.byName(strategy).isEmpty()) {
      throw new CliException(2, "unknown strategy `" + strategy + "`", "use " + StrategyKind.ids());
    }
    if (resume && (imageTag != null || image != null)) {
      throw new CliException(2, "--resume continues the interrupted rollout with its recorded image",
          "leave --image-tag and --image out, or deploy anew without --resume");
    }
    dev.slipway.model.ServiceSpec s = target.app().services().get(service);
    dev.slipway.model.StrategySpec runs = strategy != null ? StrategyKind.byName(strategy).orElseThrow().defaults()
        : s == null ? null : s.strategy();
    dev.slipway.kubernetes.DeployOrder order = new dev.slipway.kubernetes.DeployOrder(service, imageTag, image, strategy,
        waiting.clusterWaitsToEnd(runs), queue, resume);
    return ClusterCommands.deploy(target, order, spec.commandLine().getOut());
  }

  /**
   * With a team server configured the server runs the rollout (and records it): this process only asks
   * and, with {@code --wait}, follows the run; Ctrl-C stops following, not the rollout.
   */
  private int throughServer(TeamClient client) {
    String local = version != null ? "--version" : !set.isEmpty() ? "--set" : force ? "--force"
        : waiting.timeout != null ? "--timeout" : resume ? "--resume" : queue != null ? "--queue" : null;
    if (local != null) {
      throw new CliException(2, local + " does not go through the team server, which runs `" + envs.env + "`'s rollouts",
          switch (local) {
            case "--version" -> "a release on a cluster is its image: give --image-tag TAG or --image REF";
            case "--set" -> "put the value in the model, under environments." + envs.env + ".services." + service + ".env";
            case "--timeout" -> "use --wait to follow the run, Ctrl-C to stop following (the rollout goes on)";
            case "--resume" -> "the server resumes an interrupted rollout itself when it starts";
            case "--queue" -> "the server takes one rollout of a service at a time; deploy again when `slipway runs` shows it ended";
            default -> "every deploy on a cluster makes a new release";
          });
    }
    if (strategy != null && StrategyKind.byName(strategy).isEmpty()) {
      throw new CliException(2, "unknown strategy `" + strategy + "`", "use " + StrategyKind.ids());
    }
    dev.slipway.api.team.RunView run = client.post(ServerRoute.service(envs.env, service, "deploy"),
        new dev.slipway.api.team.ServerDeployRequest(image, imageTag, strategy, reason, overrideFreeze),
        dev.slipway.api.team.RunView.class);
    return ServerRoute.started(client, run, waiting.await || waiting.awaitWarm, spec.commandLine().getOut());
  }

  /** The options that only mean something on a cluster, given for the local stack. */
  private void refuseClusterOnly() {
    String given = imageTag != null ? "--image-tag" : image != null ? "--image" : resume ? "--resume" : null;
    if (given != null) {
      throw new CliException(2, given + " is for kubernetes environments", given.equals("--resume")
          ? "locally the control plane resumes an interrupted rollout itself when it starts"
          : "locally a service runs from its source (build:/run:); name a kubernetes environment with --env ENV");
    }
    if (queue != null && !queue.equals(dev.slipway.model.Durations.parseArgument(QUEUE_DEFAULT))) {
      throw new CliException(2, "--queue " + dev.slipway.model.Durations.human(queue) + ": locally a queued deploy waits"
          + " at most " + dev.slipway.model.Durations.human(dev.slipway.model.Durations.parseArgument(QUEUE_DEFAULT)),
          "give --queue without a duration (a duration is for kubernetes environments)");
    }
  }
}
