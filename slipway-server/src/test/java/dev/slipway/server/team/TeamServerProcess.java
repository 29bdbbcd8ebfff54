package dev.slipway.server.team;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import dev.slipway.api.team.TeamPaths;

/**
 * The team server as a user runs it: {@code TeamServerMain} in a JVM of its own (this test's class path),
 * on a free loopback port, its data under a directory that outlives the process (so a restart after
 * {@link #kill()} finds it). Its output goes to {@code DATA/../server-N.log}, shown by {@link #log()}.
 */
final class TeamServerProcess implements AutoCloseable {
  private final Path model;
  private final Path data;
  private final Path kubeconfig;
  private final Map<String, String> environment;
  private final List<String> storeArgs = new ArrayList<>();
  private final Map<String, String> once = new java.util.HashMap<>();
  private final List<ProcessHandle> children = new ArrayList<>();
  private Process process;
  private Path log;
  private int port;
  private int starts;

  TeamServerProcess(Path model, Path data, Path kubeconfig, Map<String, String> environment) {
    this.model = model;
    this.data = data;
    this.kubeconfig = kubeconfig;
    this.environment = environment;
  }

  /**
   * Keeps the server's data in a fresh database {@code name} of {@code postgres} ({@code --store}, the password
   * from a 0600 file), rather than the embedded PostgreSQL under its data directory.
   */
  TeamServerProcess onStore(TeamPostgres postgres, String name) throws Exception {
    Path password = data.resolveSibling("store-password");
    Files.createFile(password, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    Files.writeString(password, TeamPostgres.PASSWORD);
    storeArgs.addAll(List.of("--store", postgres.newStore(name), "--store-password-file", password.toString()));
    return this;
  }

  /** Starts the server (again, on the same data) and returns once its health check answers. */
  TeamServerProcess start() throws IOException, InterruptedException {
    port = freePort();
    log = data.resolveSibling("server-" + (++starts) + ".log");
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        "dev.slipway.server.team.TeamServerMain", "-f", model.toString(), "--data", data.toString(),
        "--listen", "127.0.0.1:" + port, "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(storeArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(model.getParent().toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().putAll(environment);
    pb.environment().putAll(once);
    once.clear();
    process = pb.start();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the team server exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url().resolve(TeamPaths.HEALTH)).GET()
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          process.descendants().forEach(children::add);
          return this;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the team server did not answer within 120 s:\n" + log());
  }

  /** Sets an environment variable for the next start only (e.g. {@code SLIPWAY_CHAOS}). */
  TeamServerProcess withOnce(String name, String value) {
    once.put(name, value);
    return this;
  }

  /** Starts without waiting for the health check: for a start that is meant to die (a chaos point). */
  void awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("the team server still runs after " + seconds + " s:\n" + log());
    }
    process.descendants().forEach(children::add);
  }

  int exitValue() {
    return process.exitValue();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** The admin's token, from the file the server wrote at its first start. */
  String adminToken() throws IOException {
    return Files.readString(data.resolve("admin-token")).strip();
  }

  /** Like a power cut of the server alone: SIGKILL to its JVM, nothing else; whatever it started stays. */
  void kill() throws InterruptedException {
    process.descendants().forEach(children::add);
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** What the server printed in its latest run. */
  String log() {
    try {
      return log == null || !Files.exists(log) ? "" : Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the server (SIGTERM, then SIGKILL), then whatever a killed server left running. */
  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.descendants().forEach(children::add);
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    for (ProcessHandle child : children) {
      if (child.isAlive()) {
        child.destroy();
        child.onExit().completeOnTimeout(child, 10, TimeUnit.SECONDS).join();
        child.destroyForcibly();
      }
    }
  }

  /** Deletes a test's directory once it is done with it (the server stopped). */
  static void deleteTree(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
