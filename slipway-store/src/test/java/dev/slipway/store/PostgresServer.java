package dev.slipway.store;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throwaway PostgreSQL server for one test class: initdb into a temporary directory, postgres on
 * a free loopback port, stopped and deleted after the class. As root (CI, this machine) both run in
 * a user namespace as uid 1000, since they refuse root (docs/decisions/0002).
 *
 * <p>{@code @RegisterExtension static final PostgresServer postgres = new PostgresServer();}
 *
 * <p>Public for the tests of the store's other packages (the team store, the audit log).
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback {
  private static final Path BIN = Path.of(System.getProperty("slipway.test.postgresBin", "/usr/lib/postgresql/15/bin"));
  private static final Duration STARTUP = Duration.ofSeconds(30);
  private static final Duration SHUTDOWN = Duration.ofSeconds(20);
  /** Logins need it (scram-sha-256), so that tests can see a refused login. */
  public static final String PASSWORD = "slipway-test-password";

  private final AtomicInteger databases = new AtomicInteger();
  private Path dir;
  private Process process;
  private int port;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Path initdb = BIN.resolve("initdb");
    Path postgres = BIN.resolve("postgres");
    if (!Files.isExecutable(initdb) || !Files.isExecutable(postgres)) {
      throw new IllegalStateException("PostgreSQL server binaries not found in " + BIN + ": install them"
          + " (Debian: apt-get install postgresql-15) or point -Dslipway.test.postgresBin at their bin directory");
    }
    dir = Files.createTempDirectory("slipway-store-pg");
    Path data = dir.resolve("data");
    Path log = dir.resolve("postgres.log");
    Path passwordFile = Files.writeString(dir.resolve("password"), PASSWORD);
    run(List.of(initdb.toString(), "-D", data.toString(), "-U", "postgres", "-A", "scram-sha-256",
        "--pwfile=" + passwordFile, "--no-sync", "-E", "UTF8", "--locale=C"), dir.resolve("initdb.log"));
    port = freePort();
    // Durability of the test server itself does not matter: turn off what makes it slow.
    process = new ProcessBuilder(asServerUser(List.of(postgres.toString(), "-D", data.toString(),
        "-p", Integer.toString(port), "-h", "127.0.0.1", "-c", "unix_socket_directories=",
        "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    awaitReady(log);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (process != null) {
        // SIGINT is PostgreSQL's fast shutdown: it does not wait for clients to disconnect.
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
        if (!process.waitFor(SHUTDOWN.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor();
        }
      }
    } finally {
      if (dir != null) {
        delete(dir);
      }
    }
  }

  public int port() {
    return port;
  }

  /** A JDBC URL, credentials in it, for a new, empty database. */
  public String newDatabase() throws SQLException {
    String name = "store_" + databases.incrementAndGet();
    try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return url(name) + "?user=postgres&password=" + PASSWORD;
  }

  /** A connection as the superuser. */
  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(url(database), "postgres", PASSWORD);
  }

  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  private void awaitReady(Path log) throws Exception {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("postgres exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      try (Connection c = connect("postgres")) {
        return;
      } catch (SQLException e) {
        last = e;
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("postgres did not accept connections within " + STARTUP + ":\n"
        + Files.readString(log), last);
  }

  private static void run(List<String> command, Path log) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(asServerUser(command)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor();
      throw new IllegalStateException(command.get(0) + " did not finish within 60 s:\n" + Files.readString(log));
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed with " + p.exitValue() + ":\n"
          + Files.readString(log) + "\n(as root this needs unprivileged user namespaces, for `unshare --user`)");
    }
  }

  private static List<String> asServerUser(List<String> command) throws IOException {
    int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    if (uid != 0) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("unshare", "--user", "--map-user=1000", "--map-group=1000"));
    wrapped.addAll(command);
    return wrapped;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void delete(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
