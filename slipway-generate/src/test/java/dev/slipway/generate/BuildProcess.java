package dev.slipway.generate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a build command (Maven, tar, java) for a test, in its own directory, on this JVM's JDK. */
final class BuildProcess {
  private BuildProcess() {}

  /** Runs {@code sh -c command} in {@code dir}; fails the test with the output's tail unless it exits 0. */
  static String sh(Path dir, String command, int timeoutSeconds) throws IOException, InterruptedException {
    return run(dir, List.of("sh", "-c", command), timeoutSeconds);
  }

  static String run(Path dir, List<String> argv, int timeoutSeconds) throws IOException, InterruptedException {
    Path log = Files.createTempFile("slipway-build", ".log");
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    String javaHome = System.getProperty("java.home");
    pb.environment().put("JAVA_HOME", javaHome);
    pb.environment().put("PATH", javaHome + "/bin:" + System.getenv("PATH"));
    Process p = pb.start();
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        throw new AssertionError(argv + " did not finish within " + timeoutSeconds + "s:\n" + tail(log));
      }
      if (p.exitValue() != 0) {
        throw new AssertionError(argv + " exited with " + p.exitValue() + ":\n" + tail(log));
      }
      return Files.readString(log);
    } finally {
      p.destroyForcibly();
      p.waitFor();
      Files.deleteIfExists(log);
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
