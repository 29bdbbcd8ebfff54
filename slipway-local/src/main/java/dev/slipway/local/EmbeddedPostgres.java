package dev.slipway.local;

import dev.slipway.api.DurableFiles;
import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.engine.runtime.TargetException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The embedded PostgreSQL of a process other than {@code slipway up} (the team server), run the way
 * {@code up} runs it: the bundled binaries, {@code initdb} once, then {@code postgres} in the
 * foreground in its own process group, as root inside a user namespace (docs/decisions/0002, 0003).
 * It is our child and waited on; {@link #close()} stops it, and so does the JVM's shutdown. Its group is recorded in
 * {@code DIR/processes.json}, so a start after a {@code kill -9} stops the one left running first.
 *
 * <p>{@code DIR} holds {@code pgdata/} (kept across restarts), {@code postgres.log} and
 * {@code superuser-password} (0600, made at first start).
 */
public final class EmbeddedPostgres implements AutoCloseable {
  private static final String NAME = "postgres";
  private static final Duration RETRY = Duration.ofMillis(100);
  private static final String INVALID_PASSWORD = "28P01";

  private final Path dir;
  private final ProcessRegistry registry;
  private final Incarnation incarnation;
  private final ProcessRegistry.Entry entry;
  private final int port;
  private final String password;
  private final String database;
  private final ReentrantLock lock = new ReentrantLock();
  /** Stops the server when the JVM is stopped (SIGTERM, Ctrl-C) without anyone calling {@link #close()}. */
  private final Thread shutdownHook = Thread.ofPlatform().name("embedded-postgres-stop").unstarted(this::close);
  private boolean closed;

  private EmbeddedPostgres(Path dir, ProcessRegistry registry, Incarnation incarnation, ProcessRegistry.Entry entry,
      int port, String password, String database) {
    this.dir = dir;
    this.registry = registry;
    this.incarnation = incarnation;
    this.entry = entry;
    this.port = port;
    this.password = password;
    this.database = database;
  }

  /**
   * Starts PostgreSQL on a free loopback port with its data in {@code dir}, and makes sure
   * {@code database} exists; returns once it accepts connections.
   *
   * @param progress told about a leftover server stopped, and the like
   */
  public static EmbeddedPostgres start(Path dir, String database, Duration readyTimeout,
      Consumer<String> progress) throws TargetException {
    if (!BinaryCache.linuxX64()) {
      throw new TargetException(NAME, "embedded PostgreSQL is only bundled for Linux x86-64",
          "use --store jdbc:postgresql://… to point at a PostgreSQL of your own", List.of());
    }
    Path home = dir.toAbsolutePath().normalize();
    Path log = home.resolve("postgres.log");
    try {
      Files.createDirectories(home, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      ProcessRegistry registry = new ProcessRegistry(home.resolve("processes.json"));
      Leftovers.reap(registry).forEach(progress);
      Path binDir = BinaryCache.standard().postgres().resolve("bin");
      String password = superuserPassword(home.resolve("superuser-password"));
      SecretMasker masker = new SecretMasker();
      masker.register(password);
      Path pgdata = home.resolve("pgdata");
      PostgresServer.initIfNeeded(registry, masker, NAME, binDir, home, pgdata, EmbeddedPostgresProvider.MAJOR, password,
          log, "rm -r " + pgdata + " (this forgets everything the server kept)");
      int port = freePort();
      List<String> argv = UserNamespace.wrapIfRoot(NAME, List.of(binDir.resolve("postgres").toString(),
          "-D", pgdata.toString(), "-p", Integer.toString(port),
          "-c", "listen_addresses=" + Endpoints.LOOPBACK, "-c", "unix_socket_directories="));
      Incarnation inc = Spawner.spawn(argv, Map.of("LC_ALL", "C"), home, log,
          "--- slipway: postgres at " + Instant.now(), 1);
      ProcessRegistry.Entry entry = registry.entryFor(NAME, "server", inc, String.join(" ", argv), Signal.INT);
      registry.register(entry);
      EmbeddedPostgres server = new EmbeddedPostgres(home, registry, inc, entry, port, password, database);
      Runtime.getRuntime().addShutdownHook(server.shutdownHook);
      try {
        server.awaitReady(readyTimeout, log, masker);
      } catch (TargetException | RuntimeException e) {
        server.close();
        throw e;
      }
      return server;
    } catch (IOException e) {
      throw new TargetException(NAME, "cannot start the embedded PostgreSQL in " + home + ": " + e.getMessage(),
          "check that " + home + " is writable, and the log " + log, e);
    }
  }

  /** {@code jdbc:postgresql://127.0.0.1:PORT/DATABASE}, without credentials. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + Endpoints.LOOPBACK + ":" + port + "/" + database;
  }

  public String user() {
    return PostgresProvisioner.SUPERUSER;
  }

  /** The superuser's password, generated once and kept in {@code DIR/superuser-password} (0600). */
  public String password() {
    return password;
  }

  public int port() {
    return port;
  }

  /** The server's process id (also its process group's). */
  public long pid() {
    return incarnation.pid();
  }

  public Path log() {
    return dir.resolve("postgres.log");
  }

  /** Stops the server (SIGINT: PostgreSQL's fast shutdown, then KILL after a grace) and waits for it. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (Thread.currentThread() != shutdownHook) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
          // The JVM is stopping: the hook runs anyway and finds this one closed.
        }
      }
      ProcessGroups.terminate(incarnation.pgid(), Signal.INT, LocalTarget.SERVER_GRACE);
      incarnation.process().waitFor(LocalTarget.SERVER_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      registry.unregister(entry);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // The record stays: the next start finds the group gone and drops it.
    } finally {
      lock.unlock();
    }
  }

  private void awaitReady(Duration timeout, Path log, SecretMasker masker) throws TargetException {
    String url = "jdbc:postgresql://" + Endpoints.LOOPBACK + ":" + port + "/postgres";
    long deadline = System.nanoTime() + timeout.toNanos();
    SQLException last = null;
    while (true) {
      if (!incarnation.process().isAlive()) {
        throw new TargetException(NAME, "the embedded PostgreSQL exited with code " + incarnation.process().exitValue()
            + " while starting", "see " + log + "; the last lines are below", LogTail.lines(log, 20, masker));
      }
      try (Connection c = PostgresProbe.connect(url, PostgresProvisioner.SUPERUSER, password, 2)) {
        PostgresProvisioner.provision(c, PostgresProvisioner.SUPERUSER, password, database);
        return;
      } catch (SQLException e) {
        if (INVALID_PASSWORD.equals(e.getSQLState())) {
          throw new TargetException(NAME, "the password in " + dir.resolve("superuser-password")
              + " does not match the data in " + dir.resolve("pgdata"), "restore that file from a backup", List.of());
        }
        last = e;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new TargetException(NAME, "the embedded PostgreSQL did not accept connections within "
            + timeout.toSeconds() + " s" + (last == null ? "" : " (" + last.getMessage() + ")"),
            "see " + log + "; the last lines are below", LogTail.lines(log, 20, masker));
      }
      try {
        Thread.sleep(RETRY);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TargetException(NAME, "interrupted while waiting for PostgreSQL", null, e);
      }
    }
  }

  private static String superuserPassword(Path file) throws IOException {
    if (Files.exists(file)) {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) {
        // Never "no password yet": the data already has one, and a new one would lock us out.
        throw new IOException(file + " is empty; restore it from a backup (the data in pgdata needs that password)");
      }
      return text;
    }
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    DurableFiles.write(file, (password + "\n").getBytes(StandardCharsets.UTF_8));
    return password;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
