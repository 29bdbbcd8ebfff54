package dev.slipway.preview;

import dev.slipway.api.ApiPaths;
import dev.slipway.api.ControlPlaneInfo;
import dev.slipway.api.EventKind;
import dev.slipway.api.EventView;
import dev.slipway.api.StatusView;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A local preview: the model run by a control plane of its own ({@code ControlPlaneMain --state-dir}),
 * started detached as {@code slipway up --detach} starts one (a session of its own, output to its log),
 * and stopped through its {@code /down}, with a clean-up run and its process group killed when it died.
 */
final class LocalPreview {
  private static final long START_SECONDS = 60;
  private static final long STOP_SECONDS = 90;
  /** The events a preview's start reports as progress: what is ready, and what went wrong. */
  private static final java.util.Set<String> SHOWN = java.util.Set.of(EventKind.BUILD_FINISHED, EventKind.RESOURCE_READY,
      EventKind.SERVICE_READY, EventKind.WARNING, EventKind.UP_FAILED, EventKind.CRASH_LOOP);
  private final PreviewSettings settings;

  LocalPreview(PreviewSettings settings) {
    this.settings = settings;
  }

  /** The command line of the control plane for {@code args}. */
  List<String> command(List<String> args) {
    List<String> cmd = new ArrayList<>();
    if (new File("/usr/bin/setsid").canExecute()) {
      // A session and process group of its own: nothing aimed at the caller's terminal reaches it.
      cmd.add("/usr/bin/setsid");
    }
    cmd.add(settings.javaBinary());
    cmd.addAll(settings.jvmOptions());
    cmd.addAll(List.of("-cp", settings.classPath(), settings.mainClass()));
    cmd.addAll(args);
    return cmd;
  }

  /** Starts the control plane; returns its process once it runs (not yet ready). */
  Process launch(PreviewRecord r, Path stateDir) throws PreviewException {
    List<String> args = new ArrayList<>(List.of("--file", r.modelFile(), "--env", r.environment(), "--state-dir",
        stateDir.toString()));
    if (r.version() != null) {
      args.addAll(List.of("--version", r.version()));
    }
    Path log = stateDir.resolve(ApiPaths.CONTROL_PLANE_LOG);
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(log, "", StandardCharsets.UTF_8);
      ProcessBuilder pb = new ProcessBuilder(command(args))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectErrorStream(true);
      // The control plane's environment is every service's: no store password reaches them.
      pb.environment().remove("SLIPWAY_STORE");
      return pb.start();
    } catch (IOException e) {
      throw new PreviewException("cannot start the control plane of preview " + r.name() + ": " + e.getMessage(),
          "check " + settings.javaBinary() + " and the permissions of " + stateDir, PreviewException.FAILED, e);
    }
  }

  /**
   * Waits until the control plane answers and its stack is ready; returns each service's URL.
   *
   * @throws PreviewException when it exits or the stack fails, with the end of its log
   */
  Map<String, String> awaitReady(String name, Process process, Path stateDir, Consumer<String> progress)
      throws PreviewException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    ControlPlaneHttp client = null;
    while (client == null) {
      if (!process.isAlive()) {
        throw startFailed(name, stateDir, "its control plane exited at start (exit code " + process.exitValue() + ")");
      }
      if (System.nanoTime() > deadline) {
        throw startFailed(name, stateDir, "its control plane did not answer within " + START_SECONDS + "s");
      }
      client = ControlPlaneHttp.find(stateDir).filter(c -> c.info().pid() == process.pid()).orElse(null);
      if (client == null) {
        sleep(50);
      }
    }
    try {
      EventView last = client.awaitReadyOrShutdown(e -> {
        if (SHOWN.contains(e.kind())) {
          progress.accept(name + ": " + e.message());
        }
      });
      if (last == null || !last.kind().equals(EventKind.STACK_READY)) {
        throw startFailed(name, stateDir, "its stack did not start" + (last == null ? "" : ": " + last.message()));
      }
      Map<String, String> urls = new LinkedHashMap<>();
      for (StatusView.ServiceView s : client.status().services()) {
        if (s.url() != null) {
          urls.put(s.name(), s.url());
        }
      }
      return urls;
    } catch (IOException e) {
      throw startFailed(name, stateDir, "its control plane stopped answering: " + e.getMessage());
    }
  }

  /**
   * Stops everything of the preview and deletes its files: the control plane's orderly {@code /down}
   * (volumes too) when it answers; else, or when it does not exit in time, its process group killed and
   * a clean-up run ({@code --cleanup --volumes}) that stops what it left from its process registry.
   */
  void stop(PreviewRecord r, Path home, Consumer<String> progress) throws PreviewException {
    Path stateDir = home.resolve("state");
    boolean clean = false;
    var client = ControlPlaneHttp.find(stateDir);
    if (client.isPresent()) {
      try {
        progress.accept(r.name() + ": stopping its stack (control plane " + client.get().info().pid() + ")");
        client.get().down();
        clean = awaitExit(client.get().info().pid(), client.get().info().startTicks(), STOP_SECONDS);
      } catch (IOException e) {
        progress.accept(r.name() + ": its control plane did not take the stop (" + e.getMessage() + ")");
      }
    }
    if (!clean) {
      if (r.processAlive()) {
        killGroup(r.pid());
        awaitExit(r.pid(), r.pidStart(), 10);
      }
      if (Files.isDirectory(stateDir) && r.modelFile() != null) {
        progress.accept(r.name() + ": cleaning up what its control plane left running");
        cleanUp(r, stateDir);
      }
    }
    deleteTree(home);
  }

  /** Runs {@code ControlPlaneMain --cleanup --volumes} for the preview in the foreground. */
  private void cleanUp(PreviewRecord r, Path stateDir) throws PreviewException {
    List<String> cmd = command(List.of("--file", r.modelFile(), "--cleanup", "--volumes", "--state-dir",
        stateDir.toString()));
    if (cmd.get(0).equals("/usr/bin/setsid")) {
      cmd.remove(0);
    }
    try {
      Path log = stateDir.resolve(ApiPaths.CONTROL_PLANE_LOG);
      Files.createDirectories(log.getParent());
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      if (!p.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        throw new PreviewException("cleaning up preview " + r.name() + " took longer than " + STOP_SECONDS + "s",
            "look at " + stateDir.resolve(ApiPaths.CONTROL_PLANE_LOG) + ", then `slipway preview down " + r.name() + "`",
            PreviewException.FAILED);
      }
      if (p.exitValue() != 0) {
        throw new PreviewException("cleaning up preview " + r.name() + " failed (exit code " + p.exitValue() + ")",
            "look at " + stateDir.resolve(ApiPaths.CONTROL_PLANE_LOG) + ", then `slipway preview down " + r.name() + "`",
            PreviewException.FAILED);
      }
    } catch (IOException e) {
      throw new PreviewException("cannot clean up preview " + r.name() + ": " + e.getMessage(), null,
          PreviewException.FAILED, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PreviewException("interrupted while cleaning up preview " + r.name(), null, PreviewException.FAILED);
    }
  }

  /** Whether the process exited (or its pid now belongs to another) within {@code seconds}. */
  private static boolean awaitExit(long pid, long startTicks, long seconds) {
    ControlPlaneInfo p = new ControlPlaneInfo(pid, startTicks, 0, null, null, null);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (p.isAlive()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      sleep(50);
    }
    return true;
  }

  /** SIGKILL to the control plane's process group (it leads one: setsid). */
  private static void killGroup(long pid) {
    try {
      new ProcessBuilder("kill", "-KILL", "--", "-" + pid).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private PreviewException startFailed(String name, Path stateDir, String why) {
    Path log = stateDir.resolve(ApiPaths.CONTROL_PLANE_LOG);
    List<String> tail = List.of();
    try {
      List<String> lines = Files.readAllLines(log);
      tail = lines.subList(Math.max(0, lines.size() - 15), lines.size());
    } catch (IOException e) {
      // No log: the reason says enough.
    }
    return new PreviewException("preview " + name + " did not start: " + why
        + (tail.isEmpty() ? "" : "\n      " + String.join("\n      ", tail)),
        "fix what its log says, then `slipway preview up " + name + "` again", PreviewException.FAILED);
  }

  static void deleteTree(Path dir) throws PreviewException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new PreviewException("cannot delete " + dir + ": " + e.getMessage(), "delete it by hand",
          PreviewException.FAILED, e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
