package dev.slipway.cli;

import dev.slipway.api.ApiPaths;
import dev.slipway.api.DurableFiles;
import dev.slipway.api.EventKind;
import dev.slipway.api.EventView;
import dev.slipway.model.AppSpec;
import dev.slipway.model.ModelLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code slipway up}: start the control plane for a model and bring the whole stack up. Attached, it
 * shows progress and a live view until Ctrl-C; with {@code --detach} it returns once all is ready.
 */
@Command(name = "up", description = "Start the whole stack: backing services, builds, services, in dependency order.")
final class UpCommand implements Callable<Integer> {
  /** How the control plane's refusal to start begins in its log. */
  private static final String REFUSAL = "control plane: ";
  /** The environment variable {@code --store} defaults to; the launcher keeps it from the stack's processes. */
  static final String STORE_VARIABLE = "SLIPWAY_STORE";
  @Mixin
  ModelOptions.FileOption model;

  @Option(names = "--env", paramLabel = "ENV", defaultValue = ModelLoader.DEFAULT_ENVIRONMENT,
      description = "Environment to run; its target must be local (default: dev, implicit in a model without environments).")
  String env;

  @Option(names = {"-d", "--detach"}, description = "Return once everything is ready; the stack keeps running.")
  boolean detach;

  @Option(names = "--store", paramLabel = "JDBC_URL", defaultValue = "${env:" + STORE_VARIABLE + "}",
      description = "Keep releases and deployments in PostgreSQL (jdbc:postgresql://…) instead of H2 under .slipway/;"
          + " default: $" + STORE_VARIABLE + " (keeps a password off your command line).")
  String store;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return start(model, env, detach, store, spec.commandLine().getOut());
  }

  static int start(ModelOptions model, String env, boolean detach, PrintWriter out) {
    return start(model, env, detach, null, out);
  }

  /** Brings the stack up; shared with {@code demo}. Returns the exit code. */
  static int start(ModelOptions model, String env, boolean detach, String store, PrintWriter out) {
    AppSpec app = model.loadLocal(env); // the model's errors, and an environment that is not local
    Optional<ControlPlaneClient> running = ControlPlaneClient.find(model.stateDir());
    if (running.isPresent()) {
      out.println(app.name() + " is already up (control plane " + running.get().info().pid() + "); its status:");
      StatusTable.render(running.get().status()).forEach(out::println);
      out.flush();
      return 0;
    }
    out.println("Starting " + Style.bold(app.name()) + " (" + env + ") from " + model.file());
    out.flush();
    List<String> args = new java.util.ArrayList<>(List.of("--file", model.file().toString(), "--env", env));
    if (store != null && !store.isBlank()) {
      args.addAll(List.of("--store-file", writeStoreUrl(model.stateDir(), store).toString()));
    }
    Process process = ControlPlaneLauncher.start(model.stateDir(), args);
    ControlPlaneClient client = awaitControlPlane(model, process);
    ProgressPrinter progress = new ProgressPrinter(out);
    return detach ? followUntilReady(client, process, progress, out) : followAttached(client, process, progress, out);
  }

  /** The store URL in a 0600 file for the control plane: never on a command line (see ApiPaths). */
  private static Path writeStoreUrl(Path stateDir, String store) {
    Path file = stateDir.resolve(ApiPaths.STORE_URL_FILE);
    try {
      if (!Files.isDirectory(file.getParent())) {
        Files.createDirectories(file.getParent(),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      DurableFiles.write(file, store.strip().getBytes(StandardCharsets.UTF_8));
      return file;
    } catch (IOException e) {
      throw new CliException(1, "cannot write " + file + ": " + e.getMessage(), "check the directory's permissions");
    }
  }

  private static ControlPlaneClient awaitControlPlane(ModelOptions model, Process process) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        int code = process.exitValue();
        if (code == 3) {
          throw refused(model);
        }
        throw new CliException(code == 2 ? 2 : 1, "the control plane exited at start (exit code " + code + ")",
            "its log: " + model.stateDir().resolve("logs/control-plane.log"),
            ControlPlaneLauncher.logTail(model.stateDir(), 20));
      }
      Optional<ControlPlaneClient> client = ControlPlaneClient.find(model.stateDir());
      if (client.isPresent() && client.get().info().pid() == process.pid()) {
        return client.get();
      }
      sleep(20);
    }
    process.destroy();
    throw new CliException(1, "the control plane did not answer within 60s", "its log: "
        + model.stateDir().resolve("logs/control-plane.log"), ControlPlaneLauncher.logTail(model.stateDir(), 20));
  }

  /**
   * The control plane refused to start (exit code 3): another one runs this model, or owns its
   * environment in the state store. Its last words say which, naming it.
   */
  private static CliException refused(ModelOptions model) {
    List<String> log = ControlPlaneLauncher.logTail(model.stateDir(), 20);
    for (int i = log.size() - 1; i >= 0; i--) {
      if (log.get(i).startsWith(REFUSAL)) {
        String hint = i + 1 < log.size() && log.get(i + 1).startsWith(" ") ? log.get(i + 1).strip() : null;
        return new CliException(1, log.get(i).substring(REFUSAL.length()), hint);
      }
    }
    return new CliException(1, "the control plane refused to start (exit code 3)", "its log: "
        + model.stateDir().resolve("logs/control-plane.log"), log);
  }

  private static int followUntilReady(ControlPlaneClient client, Process process, ProgressPrinter progress,
      PrintWriter out) {
    EventView last = client.events(0, progress::event,
        e -> e.kind().equals(EventKind.STACK_READY) || e.kind().equals(EventKind.SHUTDOWN));
    if (last != null && last.kind().equals(EventKind.STACK_READY)) {
      out.println();
      StatusTable.render(client.status()).forEach(out::println);
      out.println(Style.dim("Running in the background. `slipway logs SERVICE --follow` to follow a log, `slipway down` to stop."));
      out.flush();
      return 0;
    }
    waitForExit(process);
    out.flush();
    return 1;
  }

  private static int followAttached(ControlPlaneClient client, Process process, ProgressPrinter progress,
      PrintWriter out) {
    AtomicBoolean stopping = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    // Ctrl-C and SIGTERM reach this JVM (the control plane has a session of its own): ask for an
    // orderly stop and keep showing progress until the control plane has stopped everything.
    Thread hook = new Thread(() -> {
      if (stopping.compareAndSet(false, true)) {
        try {
          client.down(false);
        } catch (CliException e) {
          process.destroy();
        }
      }
      try {
        done.await(2, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "slipway-up-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    Thread live = null;
    if (Style.TTY) {
      live = Thread.ofVirtual().start(() -> {
        while (!stopping.get() && process.isAlive()) {
          progress.table(client::status);
          sleep(1000);
        }
      });
    }
    EventView last = client.events(0, e -> {
      if (e.kind().equals(EventKind.STOPPING)) {
        stopping.set(true);
        progress.clearTable();
      }
      progress.event(e);
    }, e -> e.kind().equals(EventKind.SHUTDOWN));
    stopping.set(true);
    if (live != null) {
      live.interrupt();
    }
    waitForExit(process);
    done.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook is running and returns now that we are done.
    }
    out.flush();
    boolean clean = last != null && last.kind().equals(EventKind.SHUTDOWN) && process.exitValue() == 0;
    return clean ? 0 : 1;
  }

  static void waitForExit(Process process) {
    try {
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        process.destroy();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
