package dev.slipway.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short {@code docker} client commands (not {@code docker run}, which is supervised). */
final class DockerCli {

  /** A finished command. */
  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  private DockerCli() {}

  /** Whether a client is installed and an engine answers. */
  static boolean engineRunning() {
    return Executables.onPath("docker") != null && run(10, "info", "--format", "{{.ServerVersion}}").ok();
  }

  static Result run(int timeoutSeconds, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("docker");
    cmd.addAll(List.of(args));
    Path out = null;
    try {
      // Output goes to a file so the wait below keeps its deadline even if the client hangs.
      out = Files.createTempFile("slipway-docker", ".out");
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(out.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "docker " + args[0] + " did not finish within " + timeoutSeconds + " s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException e) {
          // A leftover temp file is harmless; the result matters more.
        }
      }
    }
  }

  /** Docker names allow letters, digits, '_', '.' and '-'. */
  /**
   * The container (and volume) of {@code resource} for the stack whose state is in {@code stateDir}:
   * {@code slipway-APP-RESOURCE} for the model's own {@code .slipway/}; for another state directory (a
   * preview, {@code --state-dir}) a digest of it is added, so that two stacks of one model never share a
   * container or a volume.
   */
  static String containerName(String appName, Path baseDir, Path stateDir, String resource) {
    Path own = baseDir.toAbsolutePath().normalize().resolve(".slipway");
    Path dir = stateDir.toAbsolutePath().normalize();
    if (dir.equals(own)) {
      return containerName(appName, resource);
    }
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(dir.toString().getBytes(
          java.nio.charset.StandardCharsets.UTF_8));
      return containerName(appName + "-" + java.util.HexFormat.of().formatHex(d, 0, 4), resource);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has SHA-256
    }
  }

  static String containerName(String appName, String resource) {
    return ("slipway-" + appName + "-" + resource).replaceAll("[^a-zA-Z0-9_.-]", "-");
  }
}
