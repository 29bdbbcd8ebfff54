package dev.slipway.cli;

import dev.slipway.api.team.TeamPaths;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code slipway server}: the team server (docs/promotion.md) in the foreground, as a child JVM from
 * this CLI's own class path (as {@link ControlPlaneLauncher} starts the control plane; the CLI never
 * links against the server). Its output is this command's, its exit code this command's; Ctrl-C or
 * SIGTERM asks it to stop and waits until it has.
 */
@Command(name = "server", description = "Run the team server: users, promotions, approvals, runs and the audit trail (docs/promotion.md).")
final class ServerCommand implements Callable<Integer> {
  static final String MAIN_CLASS = "dev.slipway.server.team.TeamServerMain";
  /** How long a stopping server may take (finishing a database write, stopping its PostgreSQL). */
  private static final long STOP_SECONDS = 60;

  @Mixin
  ModelOptions.FileOption model;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Where the server keeps its data and embedded PostgreSQL (default: $XDG_DATA_HOME/slipway/server, else ~/.local/share/slipway/server).")
  Path data;

  @Option(names = "--store", paramLabel = "JDBC_URL",
      description = "A PostgreSQL of your own (jdbc:postgresql://…) instead of the embedded one; its password from --store-password-file or $SLIPWAY_STORE_PASSWORD.")
  String store;

  @Option(names = "--store-password-file", paramLabel = "FILE", description = "The store's password, in a file of mode 0600.")
  Path storePasswordFile;

  @Option(names = "--listen", paramLabel = "ADDR:PORT", description = "Where the API listens (default: 127.0.0.1:7070; port 0 picks a free one).")
  String listen;

  @Option(names = "--kubeconfig", paramLabel = "FILE", description = "The kubeconfig for the kubernetes environments the server drives.")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", description = "The kubeconfig context (default: each environment's `context:`, else the current one).")
  String context;

  @Option(names = "--preview-quota", paramLabel = "N", description = "How many previews the server keeps at once (default: 5).")
  Integer previewQuota;

  /** Options of later servers, passed on for the server to judge. */
  @CommandLine.Unmatched
  List<String> more = new ArrayList<>();

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    requireServerClasses();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<String> cmd = new ArrayList<>();
    if (new File("/usr/bin/setsid").canExecute()) {
      // A session of its own: Ctrl-C reaches only this process, which stops the server in order and waits.
      cmd.add("/usr/bin/setsid");
    }
    cmd.addAll(List.of(ControlPlaneLauncher.javaBinary(), "-XX:+UseSerialGC", "-Xss512k", "-XX:-UsePerfData",
        "-Dslipway.role=team-server", "-cp", System.getProperty("java.class.path"), MAIN_CLASS));
    cmd.addAll(arguments());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    // A user's own token is no business of the server's.
    pb.environment().remove(TeamPaths.TOKEN_VARIABLE);
    Process server;
    try {
      server = pb.start();
    } catch (IOException e) {
      throw new CliException(1, "cannot start the team server: " + e.getMessage(), null, e);
    }
    Thread stopper = new Thread(() -> stop(server), "slipway-server-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    Thread o = pump(server.getInputStream(), out);
    Thread e = pump(server.getErrorStream(), err);
    int code = server.waitFor();
    o.join();
    e.join();
    try {
      Runtime.getRuntime().removeShutdownHook(stopper);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running: it waits for the server too
    }
    return code;
  }

  /** What the server is given: the model file (always, resolved as every command resolves it) and the options. */
  List<String> arguments() {
    List<String> args = new ArrayList<>(List.of("-f", model.file().toString()));
    if (data != null) {
      args.addAll(List.of("--data", data.toAbsolutePath().toString()));
    }
    if (store != null) {
      args.addAll(List.of("--store", store));
    }
    if (storePasswordFile != null) {
      args.addAll(List.of("--store-password-file", storePasswordFile.toAbsolutePath().toString()));
    }
    if (listen != null) {
      args.addAll(List.of("--listen", listen));
    }
    if (kubeconfig != null) {
      args.addAll(List.of("--kubeconfig", kubeconfig.toAbsolutePath().toString()));
    }
    if (context != null) {
      args.addAll(List.of("--context", context));
    }
    if (previewQuota != null) {
      args.addAll(List.of("--preview-quota", previewQuota.toString()));
    }
    args.addAll(more);
    return args;
  }

  private static void requireServerClasses() {
    try {
      Class.forName(MAIN_CLASS, false, ServerCommand.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new CliException(1, "this slipway has no team server (" + MAIN_CLASS + " is not on its class path)",
          "build it from the whole repository: ./slipway builds every module");
    }
  }

  /** SIGTERM, then a bounded wait, then SIGKILL: a server that will not stop must not outlive this command. */
  private static void stop(Process server) {
    if (!server.isAlive()) {
      return;
    }
    server.destroy();
    try {
      if (!server.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static Thread pump(InputStream from, PrintWriter to) {
    return Thread.ofPlatform().name("slipway-server-output").daemon().start(() -> {
      try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(from, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          to.println(line);
          to.flush();
        }
      } catch (IOException e) {
        // the server went away; its exit code says how
      }
    });
  }
}
