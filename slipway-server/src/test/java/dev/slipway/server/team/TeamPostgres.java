package dev.slipway.server.team;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throwaway PostgreSQL server for a team-server test class ({@code --store}): the same as
 * slipway-store's test server (installed PostgreSQL 15 binaries, run as uid 1000 in a user namespace
 * when the tests run as root, docs/decisions/0002), kept apart because the store builds no test-jar.
 */
final class TeamPostgres implements BeforeAllCallback, AfterAllCallback {
  private static final Path BIN = Path.of(System.getProperty("slipway.test.postgresBin", "/usr/lib/postgresql/15/bin"));
  static final String PASSWORD = "slipway-team-test-password";
  private Path dir;
  private Process process;
  private int port;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (!Files.isExecutable(BIN.resolve("initdb"))) {
      throw new IllegalStateException("PostgreSQL server binaries not found in " + BIN + ": install them"
          + " (Debian: apt-get install postgresql-15) or point -Dslipway.test.postgresBin at their bin directory");
    }
    dir = Files.createTempDirectory("slipway-team-pg");
    Path data = dir.resolve("data");
    Path passwordFile = Files.writeString(dir.resolve("password"), PASSWORD);
    Process init = new ProcessBuilder(asServerUser(List.of(BIN.resolve("initdb").toString(), "-D", data.toString(),
        "-U", "postgres", "-A", "scram-sha-256", "--pwfile=" + passwordFile, "--no-sync", "-E", "UTF8", "--locale=C")))
        .redirectErrorStream(true).redirectOutput(dir.resolve("initdb.log").toFile()).start();
    if (!init.waitFor(60, TimeUnit.SECONDS) || init.exitValue() != 0) {
      throw new IllegalStateException("initdb failed:\n" + Files.readString(dir.resolve("initdb.log")));
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    process = new ProcessBuilder(asServerUser(List.of(BIN.resolve("postgres").toString(), "-D", data.toString(),
        "-p", Integer.toString(port), "-h", "127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off")))
        .redirectErrorStream(true).redirectOutput(dir.resolve("postgres.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (Connection c = connect()) {
        return;
      } catch (SQLException e) {
        if (System.nanoTime() > deadline || !process.isAlive()) {
          throw new IllegalStateException("postgres did not start:\n" + Files.readString(dir.resolve("postgres.log")), e);
        }
        Thread.sleep(100);
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (process != null) {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor();
        }
      }
    } finally {
      if (dir != null) {
        try (Stream<Path> paths = Files.walk(dir)) {
          for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }

  /** A new, empty database, as a {@code --store} URL without its password ({@link #PASSWORD}). */
  String newStore(String name) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + name + "?user=postgres";
  }

  /** The server's port on 127.0.0.1. */
  int port() {
    return port;
  }

  /** A connection to {@code database} as the superuser. */
  Connection connect(String database) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", PASSWORD);
  }

  private Connection connect() throws SQLException {
    return connect("postgres");
  }

  private static List<String> asServerUser(List<String> command) throws IOException {
    if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") != 0) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("unshare", "--user", "--map-user=1000", "--map-group=1000"));
    wrapped.addAll(command);
    return wrapped;
  }
}
