package dev.slipway.cli;

import dev.slipway.api.ApiPaths;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts the control plane as its own process, in its own session, from the CLI's own class path,
 * with its output in {@code .slipway/logs/control-plane.log}. The CLI never links against it.
 */
final class ControlPlaneLauncher {
  static final String MAIN_CLASS = "dev.slipway.server.ControlPlaneMain";

  private ControlPlaneLauncher() {}

  /** Starts {@code ControlPlaneMain} with {@code args}; returns the running process. */
  static Process start(Path stateDir, List<String> args) {
    Path log = stateDir.resolve(ApiPaths.CONTROL_PLANE_LOG);
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(log, "", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException(1, "cannot write " + log + ": " + e.getMessage(), "check the directory's permissions");
    }
    List<String> cmd = new ArrayList<>();
    if (new File("/usr/bin/setsid").canExecute()) {
      // A session of its own: Ctrl-C in this terminal reaches the CLI, which asks for an orderly stop.
      cmd.add("/usr/bin/setsid");
    }
    cmd.add(javaBinary());
    cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m", "-Xss512k",
        "-XX:-UsePerfData", "-Dslipway.role=control-plane"));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectErrorStream(true);
    // The control plane's environment is every service's: the store's password must not reach them.
    pb.environment().remove(UpCommand.STORE_VARIABLE);
    try {
      return pb.start();
    } catch (IOException e) {
      throw new CliException(1, "cannot start the control plane: " + e.getMessage(), null, e);
    }
  }

  /** Runs {@code ControlPlaneMain} in the foreground and returns its exit code and output. */
  static Result runToEnd(List<String> args) {
    List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), MAIN_CLASS));
    cmd.addAll(args);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(p.waitFor(), output);
    } catch (IOException e) {
      throw new CliException(1, "cannot start the control plane: " + e.getMessage(), null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(1, "interrupted", null);
    }
  }

  /** What a foreground run printed and how it ended. */
  record Result(int exitCode, String output) {}

  static String javaBinary() {
    Optional<String> current = ProcessHandle.current().info().command();
    return current.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** The last {@code n} lines of the control plane's log. */
  static List<String> logTail(Path stateDir, int n) {
    try {
      List<String> lines = Files.readAllLines(stateDir.resolve(ApiPaths.CONTROL_PLANE_LOG));
      return lines.subList(Math.max(0, lines.size() - n), lines.size());
    } catch (IOException e) {
      return List.of();
    }
  }
}
